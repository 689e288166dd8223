package deploy

import (
	"crypto/rand"
	"regexp"
)

const idAlphabet = "abcdefghijklmnopqrstuvwxyz0123456789"

// NewSessionID returns 8 random lowercase letters and digits.
func NewSessionID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on supported platforms
	for i := range b {
		b[i] = idAlphabet[int(b[i])%len(idAlphabet)]
	}
	return string(b)
}

var (
	sessionIDPattern = regexp.MustCompile(`^[a-z0-9]{8}$`)
	projectIDPattern = regexp.MustCompile(`^[a-z](?:[a-z0-9-]{0,28}[a-z0-9])$`)
)

// ValidSessionID reports whether id has the shape of a session id.
func ValidSessionID(id string) bool { return sessionIDPattern.MatchString(id) }

// ValidProjectID reports whether id follows SPEC §4's project id rule.
func ValidProjectID(id string) bool { return projectIDPattern.MatchString(id) }
