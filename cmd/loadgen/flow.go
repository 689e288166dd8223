package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/cloudengine/cloud-engine/db"
	"github.com/cloudengine/cloud-engine/discordhttp/discordtest"
)

// pollEvery is how often a user looks at their lobby again: often enough
// to time a state to a tenth of a second, seldom enough that 50 users do
// not load the fake Discord.
const pollEvery = 100 * time.Millisecond

// outcome is what happened to one deployment.
type outcome struct {
	session, lobby string
	// planned and applied are the times from the /cloud-deploy command to
	// the lobby showing PLANNED and APPLIED.
	planned, applied time.Duration
	err              error
}

// deployment is one user's whole sandbox deployment, as e2e's deployed
// helper drives it: open a lobby, add a compute_vm through the select and
// its modal, wait for PLANNED, approve, wait for APPLIED.
func deployment(ctx context.Context, d *driver, store *db.DB, project, userID, name string) outcome {
	var o outcome
	begin := time.Now()
	a, err := d.command(ctx, kindDeploy, userID, "cloud-deploy", "project", project)
	if err == nil && a.Type != 5 {
		err = fmt.Errorf("/cloud-deploy answered %s, want a deferral", a.raw)
	}
	if err != nil {
		o.err = err
		return o
	}
	l, err := waitLobby(ctx, d.fake, a.token, store)
	if err != nil {
		o.err = err
		return o
	}
	o.session, o.lobby = l.field("Session"), l.ID
	if o.err = addVM(ctx, d, userID, l, name); o.err != nil {
		return o
	}
	if l, o.err = waitState(ctx, d.fake, o.lobby, "PLANNED", "PLAN_FAILED"); o.err != nil {
		return o
	}
	o.planned = time.Since(begin)
	a, err = d.click(ctx, kindApprove, userID, o.lobby, l.id("Approve & Deploy"))
	if err == nil && a.Type != 6 {
		err = fmt.Errorf("approve answered %s", a.raw)
	}
	if err != nil {
		o.err = err
		return o
	}
	if _, o.err = waitState(ctx, d.fake, o.lobby, "APPLIED", "FAILED", "CANCELLED"); o.err == nil {
		o.applied = time.Since(begin)
	}
	return o
}

func addVM(ctx context.Context, d *driver, userID string, l lobby, name string) error {
	a, err := d.choose(ctx, userID, l.ID, l.id("Add a resource…"), "compute_vm")
	if err != nil {
		return err
	}
	if a.Type != 9 {
		return fmt.Errorf("the select answered %s, want a modal", a.raw)
	}
	a, err = d.submit(ctx, userID, l.ID, a.str("custom_id"), map[string]string{"name": name, "size": "small"})
	if err == nil && a.Type != 6 {
		err = fmt.Errorf("the modal submit answered %s", a.raw)
	}
	return err
}

// waitLobby waits for the deferred answer of token to become a lobby and
// for the engine to have stored the lobby's message id: a click that comes
// before may be refused as a change in the meantime, and people are not
// that fast.
func waitLobby(ctx context.Context, fake *discordtest.Fake, token string, store *db.DB) (lobby, error) {
	var l lobby
	err := poll(ctx, "the lobby", func() (bool, error) {
		m, ok := fake.Original(token)
		l = lobby{m}
		if !ok || l.field("Session") == "" {
			return false, nil
		}
		s, err := store.GetSession(ctx, guildID, l.field("Session"))
		return err == nil && s.LobbyMessageID == l.ID, nil
	})
	return l, err
}

// waitState waits until the lobby shows the state want; a state in
// final ends the wait with an error.
func waitState(ctx context.Context, fake *discordtest.Fake, id, want string, final ...string) (lobby, error) {
	var l lobby
	err := poll(ctx, "state "+want, func() (bool, error) {
		m, ok := fake.Message(id)
		if !ok {
			return false, fmt.Errorf("lobby %s is gone", id)
		}
		l = lobby{m}
		st := l.field("State")
		for _, f := range final {
			if st == f {
				return false, fmt.Errorf("lobby %s ended %s (want %s): %s", id, st, want, l.field("Error"))
			}
		}
		return st == want, nil
	})
	return l, err
}

func poll(ctx context.Context, what string, cond func() (bool, error)) error {
	t := time.NewTicker(pollEvery)
	defer t.Stop()
	for {
		ok, err := cond()
		if ok || err != nil {
			return err
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("waiting for %s: %w", what, ctx.Err())
		case <-t.C:
		}
	}
}

// lobby is a lobby message as a user sees it.
type lobby struct{ discordtest.Message }

// field is the value of the embed field called name.
func (l lobby) field(name string) string {
	for _, e := range l.Embeds {
		fields, _ := e["fields"].([]any)
		for _, f := range fields {
			m, _ := f.(map[string]any)
			if m["name"] == name {
				s, _ := m["value"].(string)
				return s
			}
		}
	}
	return ""
}

// id is the custom id of the button or select labelled label.
func (l lobby) id(label string) string {
	for _, row := range l.Components {
		cs, _ := row["components"].([]any)
		for _, c := range cs {
			m, _ := c.(map[string]any)
			lbl, _ := m["label"].(string)
			if m["placeholder"] == label || strings.HasPrefix(lbl, label) {
				id, _ := m["custom_id"].(string)
				return id
			}
		}
	}
	return ""
}
