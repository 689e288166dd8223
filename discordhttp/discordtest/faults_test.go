package discordtest_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/cloudengine/cloud-engine/discordhttp/discordtest"
)

func TestNonceReturnsTheFirstMessage(t *testing.T) {
	f := discordtest.NewServer(t, discordtest.Options{BotToken: botToken, RateLimit: 1000})
	path := "/channels/" + channel + "/messages"
	other := "/channels/1300000000000000002/messages"
	tests := []struct {
		name, path, body string
		same             bool // answered with the first message
	}{
		{"same nonce, enforced", path, `{"content":"again","nonce":"n-1","enforce_nonce":true}`, true},
		{"an integer nonce", path, `{"content":"int","nonce":42,"enforce_nonce":true}`, false},
		{"same nonce, not enforced", path, `{"content":"again","nonce":"n-1"}`, false},
		{"another nonce", path, `{"content":"other","nonce":"n-2","enforce_nonce":true}`, false},
		{"same nonce in another channel", other, `{"content":"elsewhere","nonce":"n-1","enforce_nonce":true}`, false},
	}
	_, first := send(t, f, "POST", path, "Bot "+botToken, `{"content":"first","nonce":"n-1","enforce_nonce":true}`)
	if first["nonce"] != "n-1" {
		t.Fatalf("the message does not carry its nonce: %v", first)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rs, got := send(t, f, "POST", tt.path, "Bot "+botToken, tt.body)
			if rs.StatusCode != http.StatusOK {
				t.Fatalf("status %d: %v", rs.StatusCode, got)
			}
			if same := got["id"] == first["id"]; same != tt.same {
				t.Errorf("answered message %v (first %v), want the first: %v", got["id"], first["id"], tt.same)
			}
		})
	}
	if n := len(f.Messages(channel)); n != 4 {
		t.Errorf("%d messages in the channel, want 4 (first, int, not enforced, other)", n)
	}
}

func TestFailBetweenAndLostAnswers(t *testing.T) {
	f := discordtest.NewServer(t, discordtest.Options{BotToken: botToken, RateLimit: 1000})
	path := "/channels/" + channel + "/messages"
	f.FailBetween(http.StatusServiceUnavailable, time.Now(), time.Now().Add(300*time.Millisecond))
	rs, _ := send(t, f, "POST", path, "", `{"content":"x"}`)
	if rs.StatusCode != http.StatusServiceUnavailable || rs.Header.Get("X-RateLimit-Bucket") != "" {
		t.Fatalf("during the outage: %d with headers %v, want a bare 503 (even without auth)", rs.StatusCode, rs.Header)
	}
	time.Sleep(300 * time.Millisecond)
	f.LoseAnswers(func(method, p string) bool { return method == "POST" && strings.HasSuffix(p, "/messages") }, http.StatusBadGateway, 1)
	body := `{"content":"once","nonce":"lost-1","enforce_nonce":true}`
	if rs, _ := send(t, f, "POST", path, "Bot "+botToken, body); rs.StatusCode != http.StatusBadGateway {
		t.Fatalf("lost answer: %d, want 502", rs.StatusCode)
	}
	if rs, _ := send(t, f, "POST", path, "Bot "+botToken, body); rs.StatusCode != http.StatusOK {
		t.Fatalf("sent again: %d, want 200", rs.StatusCode)
	}
	if msgs := f.Messages(channel); len(msgs) != 1 || msgs[0].Content != "once" {
		t.Errorf("messages %+v, want the one message created before its answer was lost", msgs)
	}
	if n := len(f.Requests()); n != 3 {
		t.Errorf("%d requests recorded, want 3", n)
	}
}
