package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/cloudengine/cloud-engine/discordhttp/discordtest"
)

// Kinds of interaction whose answer latency the deployments scenario
// reports.
const (
	kindDeploy  = "/cloud-deploy"
	kindSelect  = "select (opens the modal)"
	kindSubmit  = "modal submit"
	kindApprove = "Approve & Deploy"
	kindList    = "/cloud-list (probe)"
	kindSetup   = "setup" // not counted among the answers measured
)

// driver plays Discord's side of the interactions of many users at once:
// it signs each interaction, POSTs it to one of the replicas in turn (as a
// load balancer in front of them would), times the HTTP answer and hands
// the answer to the fake Discord, which applies it as Discord would.
type driver struct {
	key    ed25519.PrivateKey
	fake   *discordtest.Fake
	urls   []string
	next   atomic.Uint64
	client *http.Client
	ids    *snowflakes

	mu  sync.Mutex
	lat map[string][]time.Duration
	// sent counts the interactions each replica received.
	sent []int
}

func newDriver(key ed25519.PrivateKey, fake *discordtest.Fake, urls []string) *driver {
	return &driver{key: key, fake: fake, urls: urls, ids: &snowflakes{},
		// Enough idle connections that a burst of 50 users never dials anew.
		client: &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 128}},
		lat:    map[string][]time.Duration{}, sent: make([]int, len(urls))}
}

// answer is the engine's HTTP answer to one interaction.
type answer struct {
	Type int            `json:"type"`
	Data map[string]any `json:"data"`
	raw  []byte
	// token is the interaction's, under which the fake keeps the original
	// message of a deferred answer.
	token string
}

func (a answer) str(key string) string { s, _ := a.Data[key].(string); return s }

// post sends one interaction of user of type typ and records its latency
// under kind. msgID is the message a component sits on ("" for commands).
func (d *driver) post(ctx context.Context, kind, userID string, typ int, data any, msgID string) (answer, error) {
	id := d.ids.next()
	token := "loadgen-token-" + id
	in := map[string]any{
		"id": id, "application_id": appID, "type": typ, "token": token, "version": 1,
		"guild_id": guildID, "channel_id": channelID,
		"channel": map[string]any{"id": channelID, "type": 0},
		"member": map[string]any{"user": map[string]any{"id": userID, "username": "user" + userID[len(userID)-3:]},
			"roles": []string{}, "permissions": "8"},
		"data": data, "app_permissions": "309237730304", "locale": "en-US",
	}
	if msgID != "" {
		in["message"] = map[string]any{"id": msgID, "channel_id": channelID, "flags": 0}
	}
	body, err := json.Marshal(in)
	if err != nil {
		return answer{}, err
	}
	n := int(d.next.Add(1)-1) % len(d.urls)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, d.urls[n], bytes.NewReader(body))
	if err != nil {
		return answer{}, err
	}
	req.Header = discordtest.SignatureHeaders(d.key, strconv.FormatInt(time.Now().Unix(), 10), body)
	begin := time.Now()
	resp, err := d.client.Do(req)
	if err != nil {
		return answer{}, fmt.Errorf("%s: %w", kind, err)
	}
	raw, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	took := time.Since(begin)
	if err != nil {
		return answer{}, fmt.Errorf("%s: read the answer: %w", kind, err)
	}
	if resp.StatusCode != http.StatusOK {
		return answer{}, fmt.Errorf("%s: HTTP %d: %s", kind, resp.StatusCode, raw)
	}
	d.record(kind, n, took)
	a := answer{raw: raw, token: token}
	if err := json.Unmarshal(raw, &a); err != nil {
		return a, fmt.Errorf("%s: answer %s: %w", kind, raw, err)
	}
	ic := discordtest.InteractionContext{Token: token, GuildID: guildID, ChannelID: channelID, SourceMessageID: msgID, UserID: userID}
	if err := d.fake.Respond(ic, raw); err != nil {
		return a, fmt.Errorf("%s: Discord would refuse the answer %s: %w", kind, raw, err)
	}
	return a, nil
}

func (d *driver) record(kind string, replica int, took time.Duration) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.lat[kind] = append(d.lat[kind], took)
	d.sent[replica]++
}

// command sends a slash command with string options (name, value pairs).
func (d *driver) command(ctx context.Context, kind, userID, name string, opts ...string) (answer, error) {
	var os []map[string]any
	for i := 0; i+1 < len(opts); i += 2 {
		os = append(os, map[string]any{"name": opts[i], "type": 3, "value": opts[i+1]})
	}
	return d.post(ctx, kind, userID, 2, map[string]any{"id": "5500000000000000001", "name": name, "type": 1, "options": os}, "")
}

// choose picks values in the string select customID of message msgID.
func (d *driver) choose(ctx context.Context, userID, msgID, customID string, values ...string) (answer, error) {
	return d.post(ctx, kindSelect, userID, 3, map[string]any{"custom_id": customID, "component_type": 3, "values": values}, msgID)
}

// click presses the button customID of message msgID.
func (d *driver) click(ctx context.Context, kind, userID, msgID, customID string) (answer, error) {
	return d.post(ctx, kind, userID, 3, map[string]any{"custom_id": customID, "component_type": 2}, msgID)
}

// submit sends a modal with the label layout Discord uses today.
func (d *driver) submit(ctx context.Context, userID, msgID, customID string, values map[string]string) (answer, error) {
	var comps []map[string]any
	for k, v := range values {
		comps = append(comps, map[string]any{"type": 18, "component": map[string]any{"type": 4, "custom_id": k, "value": v}})
	}
	return d.post(ctx, kindSubmit, userID, 5, map[string]any{"custom_id": customID, "components": comps}, msgID)
}

// latencies returns a sorted copy of the answer times of kind ("" = all).
func (d *driver) latencies(kind string) []time.Duration {
	d.mu.Lock()
	defer d.mu.Unlock()
	var out []time.Duration
	for k, l := range d.lat {
		if k == kind || kind == "" && k != kindSetup {
			out = append(out, l...)
		}
	}
	slices.Sort(out)
	return out
}

// perReplica is how many interactions each replica answered.
func (d *driver) perReplica() []int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return slices.Clone(d.sent)
}
