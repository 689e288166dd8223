package discordtest_test

import (
	"testing"

	"github.com/cloudengine/cloud-engine/discordhttp/discordtest"
)

func TestRespondAppliesCallbacks(t *testing.T) {
	tests := []struct {
		name          string
		body          string
		wantContent   string
		wantEphemeral bool
		wantThinking  bool
		onSource      bool // the original is the component's source message
		sourceEdits   int
	}{
		{name: "4 message", body: `{"type":4,"data":{"content":"hi"}}`, wantContent: "hi"},
		{name: "4 ephemeral", body: `{"type":4,"data":{"content":"only you","flags":64}}`, wantContent: "only you", wantEphemeral: true},
		{name: "5 deferred", body: `{"type":5}`, wantThinking: true},
		{name: "5 deferred ephemeral", body: `{"type":5,"data":{"flags":64}}`, wantThinking: true, wantEphemeral: true},
		{name: "6 deferred update", body: `{"type":6}`, wantContent: "lobby", onSource: true},
		{name: "7 update", body: `{"type":7,"data":{"content":"approved"}}`, wantContent: "approved", onSource: true, sourceEdits: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := discordtest.NewServer(t, discordtest.Options{BotToken: botToken})
			_, lobby := send(t, f, "POST", "/channels/"+channel+"/messages", "Bot "+botToken, `{"content":"lobby"}`)
			source, _ := lobby["id"].(string)
			ic := discordtest.InteractionContext{Token: "tok", GuildID: "9", ChannelID: channel, SourceMessageID: source, UserID: "42"}
			if err := f.Respond(ic, []byte(tt.body)); err != nil {
				t.Fatal(err)
			}
			orig, ok := f.Original("tok")
			if !ok {
				t.Fatal("no original message")
			}
			if orig.Content != tt.wantContent || orig.Ephemeral != tt.wantEphemeral || orig.Thinking != tt.wantThinking {
				t.Errorf("original %+v, want content %q ephemeral %v thinking %v", orig, tt.wantContent, tt.wantEphemeral, tt.wantThinking)
			}
			if (orig.ID == source) != tt.onSource || orig.Edits != tt.sourceEdits {
				t.Errorf("original %s (edits %d), source %s: want on source %v with %d edits", orig.ID, orig.Edits, source, tt.onSource, tt.sourceEdits)
			}
			// PATCH @original fills a deferral, or edits the source after a type 6.
			rs, _ := send(t, f, "PATCH", "/webhooks/"+discordtest.DefaultApplicationID+"/tok/messages/@original", "", `{"content":"done"}`)
			if got, _ := f.Original("tok"); rs.StatusCode != 200 || got.Content != "done" || got.Thinking {
				t.Errorf("after PATCH @original: %d %+v", rs.StatusCode, got)
			}
		})
	}
}

func TestRespondRejectsInvalidAndRecordsModal(t *testing.T) {
	rec := &recorder{}
	f := discordtest.NewServer(t, discordtest.Options{BotToken: botToken, OnInvalid: rec.add})
	ic := discordtest.InteractionContext{Token: "bad", ChannelID: channel}
	if err := f.Respond(ic, []byte(`{"type":9,"data":{"custom_id":"m","title":"this modal title is far longer than forty-five characters","components":[]}}`)); err == nil || rec.count() == 0 {
		t.Errorf("an over-long modal was accepted (err %v, invalid reports %d)", err, rec.count())
	}
	modal := `{"type":9,"data":{"custom_id":"m1","title":"Confirm apply","components":[{"type":18,"label":"Type the project name","component":{"type":4,"custom_id":"confirm","style":1}}]}}`
	ic.Token = "good"
	events, stop := f.Subscribe()
	defer stop()
	if err := f.Respond(ic, []byte(modal)); err != nil {
		t.Fatal(err)
	}
	if _, ok := f.Modal("good"); !ok {
		t.Error("modal not recorded")
	}
	if e := <-events; e.Kind != discordtest.EventModalOpened || e.Token != "good" {
		t.Errorf("event %+v, want modal_opened", e)
	}
}
