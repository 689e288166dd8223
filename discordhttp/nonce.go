package discordhttp

import (
	"crypto/rand"
	"encoding/hex"
)

// nonceBytes gives a 20-character nonce: within Discord's 25, and random
// enough that two messages of one channel never share one.
// https://discord.com/developers/docs/resources/message#create-message
const nonceBytes = 10

// NewNonce returns a fresh message nonce. A caller that may send the same
// message again in a later call (after this one gave up) passes one nonce
// to both; CreateMessage makes one per call otherwise.
func NewNonce() string {
	b := make([]byte, nonceBytes)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24)
	return hex.EncodeToString(b)
}
