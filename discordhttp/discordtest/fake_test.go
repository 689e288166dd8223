package discordtest_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/cloudengine/cloud-engine/discordhttp/discordtest"
)

const (
	botToken = "fake-bot-token"
	channel  = "1300000000000000001"
)

type recorder struct {
	mu   sync.Mutex
	errs []error
}

func (r *recorder) add(err error) { r.mu.Lock(); r.errs = append(r.errs, err); r.mu.Unlock() }
func (r *recorder) count() int    { r.mu.Lock(); defer r.mu.Unlock(); return len(r.errs) }

func send(t *testing.T, f *discordtest.Fake, method, path, auth, body string) (*http.Response, map[string]any) {
	t.Helper()
	req, err := http.NewRequest(method, f.URL()+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	rs, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer rs.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(rs.Body).Decode(&out)
	return rs, out
}

func buttons(n int) string {
	var b []string
	for i := range n {
		b = append(b, fmt.Sprintf(`{"type":2,"style":1,"label":"b%d","custom_id":"c%d"}`, i, i))
	}
	return `{"content":"x","components":[{"type":1,"components":[` + strings.Join(b, ",") + `]}]}`
}

func TestRejectsWhatDiscordRejects(t *testing.T) {
	rec := &recorder{}
	f := discordtest.NewServer(t, discordtest.Options{BotToken: botToken, OnInvalid: rec.add, RateLimit: 1000})
	_, lobby := send(t, f, "POST", "/channels/"+channel+"/messages", "Bot "+botToken, `{"content":"lobby"}`)
	lobbyID, _ := lobby["id"].(string)
	tests := []struct {
		name, method, path, body string
		invalid                  bool
		status                   int
	}{
		{"5 buttons in a row", "POST", "/channels/" + channel + "/messages", buttons(5), false, 200},
		{"6 buttons in a row", "POST", "/channels/" + channel + "/messages", buttons(6), true, 400},
		{"2000 characters", "POST", "/channels/" + channel + "/messages", `{"content":"` + strings.Repeat("a", 2000) + `"}`, false, 200},
		{"2001 characters", "POST", "/channels/" + channel + "/messages", `{"content":"` + strings.Repeat("a", 2001) + `"}`, true, 400},
		{"duplicate custom_id", "POST", "/channels/" + channel + "/messages",
			`{"components":[{"type":1,"components":[{"type":2,"style":1,"label":"a","custom_id":"x"},{"type":2,"style":1,"label":"b","custom_id":"x"}]}]}`, true, 400},
		{"embeds over 6000 in total", "POST", "/channels/" + channel + "/messages",
			`{"embeds":[{"description":"` + strings.Repeat("d", 4000) + `"},{"description":"` + strings.Repeat("d", 2001) + `"}]}`, true, 400},
		{"auto_archive_duration 100", "POST", "/channels/" + channel + "/messages/" + lobbyID + "/threads", `{"name":"t","auto_archive_duration":100}`, true, 400},
		{"thread without a name", "POST", "/channels/" + channel + "/messages/" + lobbyID + "/threads", `{}`, true, 400},
		{"no bot token", "POST", "/channels/" + channel + "/messages", `{"content":"x"}`, false, 401},
		{"unknown interaction token", "PATCH", "/webhooks/" + discordtest.DefaultApplicationID + "/nope/messages/@original", `{"content":"x"}`, false, 404},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := rec.count()
			auth := "Bot " + botToken
			if tt.status == 401 {
				auth = ""
			}
			rs, body := send(t, f, tt.method, tt.path, auth, tt.body)
			if rs.StatusCode != tt.status {
				t.Errorf("status %d (%v), want %d", rs.StatusCode, body, tt.status)
			}
			if got := rec.count() > before; got != tt.invalid {
				t.Errorf("OnInvalid fired = %v, want %v", got, tt.invalid)
			}
			if tt.invalid && body["code"] != float64(50035) {
				t.Errorf("code %v, want 50035", body["code"])
			}
		})
	}
}

func TestRateLimitEnforced(t *testing.T) {
	f := discordtest.NewServer(t, discordtest.Options{BotToken: botToken, RateLimit: 3})
	path := "/channels/" + channel + "/messages"
	for i := range 3 {
		rs, _ := send(t, f, "POST", path, "Bot "+botToken, `{"content":"x"}`)
		if rs.StatusCode != 200 || rs.Header.Get("X-RateLimit-Remaining") != fmt.Sprint(2-i) ||
			rs.Header.Get("X-RateLimit-Bucket") == "" || rs.Header.Get("X-RateLimit-Reset-After") == "" || rs.Header.Get("X-RateLimit-Reset") == "" {
			t.Fatalf("request %d: %d with headers %v", i, rs.StatusCode, rs.Header)
		}
	}
	rs, body := send(t, f, "POST", path, "Bot "+botToken, `{"content":"x"}`)
	if rs.StatusCode != 429 || rs.Header.Get("Retry-After") == "" || rs.Header.Get("Via") == "" ||
		rs.Header.Get("X-RateLimit-Scope") != "user" || body["retry_after"] == nil || body["global"] != false {
		t.Errorf("4th request: %d %v %v, want a complete route 429", rs.StatusCode, rs.Header, body)
	}
	if rs, _ := send(t, f, "POST", "/channels/1300000000000000002/messages", "Bot "+botToken, `{"content":"x"}`); rs.StatusCode != 200 {
		t.Errorf("another channel got %d, want its own bucket", rs.StatusCode)
	}
	if got := len(f.Messages(channel)); got != 3 {
		t.Errorf("%d messages stored, want 3 (the 429 must not create one)", got)
	}
}
