package discordtest

import (
	"strconv"
	"time"
)

// nonceWindow is how long a nonce sent with enforce_nonce is remembered.
// Discord says "the past few minutes"; the fake takes the short reading,
// so that no test relies on a longer one.
// https://discord.com/developers/docs/resources/message#create-message
const nonceWindow = 2 * time.Minute

type nonceSeen struct {
	messageID string
	at        time.Time
}

// nonceOf returns the body's nonce (a string or an integer) when
// enforce_nonce asks Discord to check it.
func nonceOf(body map[string]any) (string, bool) {
	if enforce, _ := body["enforce_nonce"].(bool); !enforce {
		return "", false
	}
	switch n := body["nonce"].(type) {
	case string:
		return n, n != ""
	case float64:
		return strconv.FormatInt(int64(n), 10), true
	}
	return "", false
}

// sameNonce returns the message created in channelID with nonce within
// nonceWindow, if any; callers hold f.mu.
func (f *Fake) sameNonce(channelID, nonce string) (*Message, bool) {
	seen, ok := f.nonces[channelID+"/"+nonce]
	if !ok || f.opts.Now().Sub(seen.at) > nonceWindow {
		return nil, false
	}
	m, ok := f.messages[seen.messageID]
	return m, ok
}

// rememberNonce records the message a nonce created; callers hold f.mu.
func (f *Fake) rememberNonce(channelID, nonce string, m *Message) {
	m.Nonce = nonce
	f.nonces[channelID+"/"+nonce] = nonceSeen{messageID: m.ID, at: f.opts.Now()}
}
