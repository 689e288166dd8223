package discordhttp_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/disgoorg/disgo/discord"
	"github.com/disgoorg/snowflake/v2"

	"github.com/cloudengine/cloud-engine/discordhttp"
	"github.com/cloudengine/cloud-engine/discordhttp/discordtest"
)

func TestStartThreadAndFallbacks(t *testing.T) {
	e := newEnv(t, discordtest.Options{})
	ctx := context.Background()
	const denied = "1300000000000000099"
	post := func(ch string) *discord.Message {
		t.Helper()
		m, err := e.client.CreateMessage(ctx, snowflake.MustParse(ch), discord.NewMessageCreate().WithContent("lobby"))
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	lobby := post(channel)
	thread, err := e.client.StartThread(ctx, lobby.ChannelID, lobby.ID, "apply web-1")
	if err != nil {
		t.Fatal(err)
	}
	if thread.ID() != lobby.ID || thread.ParentID() == nil || *thread.ParentID() != lobby.ChannelID || thread.Name() != "apply web-1" {
		t.Errorf("thread %v/%v/%q, want id %v in %v", thread.ID(), thread.ParentID(), thread.Name(), lobby.ID, lobby.ChannelID)
	}
	inThread, err := e.client.CreateMessage(ctx, thread.ID(), discord.NewMessageCreate().WithContent("output"))
	if err != nil {
		t.Fatal(err)
	}

	e.fake.DenyThreads(denied)
	tests := []struct {
		name          string
		ch, msg       snowflake.ID
		missingAccess bool
	}{
		{"second thread on a message", lobby.ChannelID, lobby.ID, false},
		{"message inside a thread", thread.ID(), inThread.ID, false},
		{"no access to the channel", snowflake.MustParse(denied), post(denied).ID, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.client.StartThread(ctx, tt.ch, tt.msg, "again")
			if !discordhttp.IsThreadImpossible(err) {
				t.Errorf("%v: want IsThreadImpossible", err)
			}
			if discordhttp.IsMissingAccess(err) != tt.missingAccess {
				t.Errorf("%v: IsMissingAccess = %v, want %v", err, !tt.missingAccess, tt.missingAccess)
			}
		})
	}
	if got := len(e.fake.Threads()); got != 1 {
		t.Errorf("%d threads, want 1", got)
	}
}

func TestFileUploadSurvivesRetry(t *testing.T) {
	e := newEnv(t, discordtest.Options{})
	e.fake.FailNext(func(method, _ string) bool { return method == "POST" }, 500, 1)
	log := []byte("Apply complete! Resources: 1 added, 0 changed, 0 destroyed.\n")
	m := discord.NewMessageCreate().WithContent("full log attached").
		WithFiles(discord.NewFile("apply.log", "", bytes.NewReader(log)))
	if _, err := e.client.CreateMessage(context.Background(), snowflake.MustParse(channel), m); err != nil {
		t.Fatal(err)
	}
	msgs := e.fake.Messages(channel)
	if len(msgs) != 1 || len(msgs[0].Attachments) != 1 {
		t.Fatalf("messages %+v, want one with one attachment", msgs)
	}
	if a := msgs[0].Attachments[0]; a.Filename != "apply.log" || !bytes.Equal(a.Data, log) {
		t.Errorf("attachment %q = %q, want apply.log = %q", a.Filename, a.Data, log)
	}
}

func TestEditMessageAndFollowup(t *testing.T) {
	e := newEnv(t, discordtest.Options{})
	ctx := context.Background()
	e.deferred(t, "tok-follow")
	f, err := e.client.CreateFollowup(ctx, "tok-follow", discord.NewMessageCreate().WithContent("queued").WithEphemeral(true))
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := e.fake.Message(f.ID.String()); !got.Ephemeral || got.Content != "queued" {
		t.Errorf("follow-up %+v, want ephemeral \"queued\"", got)
	}
	m, err := e.client.CreateMessage(ctx, snowflake.MustParse(channel), discord.NewMessageCreate().WithContent("v1"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.client.EditMessage(ctx, m.ChannelID, m.ID, discord.NewMessageUpdate().WithContent("v2")); err != nil {
		t.Fatal(err)
	}
	if got, _ := e.fake.Message(m.ID.String()); got.Content != "v2" || got.Edits != 1 {
		t.Errorf("edited message %+v, want \"v2\" after 1 edit", got)
	}
}
