package discordhttp_test

import (
	"context"
	"strings"
	"testing"

	"github.com/disgoorg/disgo/discord"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/cloudengine/cloud-engine/discordhttp/discordtest"
)

func TestMetrics(t *testing.T) {
	e := newEnv(t, discordtest.Options{})
	e.deferred(t, "tok-metrics")
	e.fake.FailNext(func(method, _ string) bool { return method == "PATCH" }, 429, 1)
	if _, err := e.client.EditOriginal(context.Background(), "tok-metrics", discord.NewMessageUpdate().WithContent("x")); err != nil {
		t.Fatal(err)
	}
	problems, err := testutil.GatherAndLint(e.reg)
	if err != nil || len(problems) > 0 {
		t.Fatalf("lint: %v %v", err, problems)
	}
	const route = "PATCH /webhooks/{application_id}/{token}/messages/@original"
	want := `
# HELP cloudengine_discord_rate_limited_total Responses from Discord with status 429 Too Many Requests.
# TYPE cloudengine_discord_rate_limited_total counter
cloudengine_discord_rate_limited_total 1
# HELP cloudengine_discord_requests_total HTTP requests sent to Discord, by route template and response status ("error" when no response arrived).
# TYPE cloudengine_discord_requests_total counter
cloudengine_discord_requests_total{code="200",route="` + route + `"} 1
cloudengine_discord_requests_total{code="429",route="` + route + `"} 1
`
	if err := testutil.GatherAndCompare(e.reg, strings.NewReader(want)); err != nil {
		t.Error(err)
	}
}
