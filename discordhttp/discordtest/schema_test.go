package discordtest

import "testing"

func TestSchemaPointersCompile(t *testing.T) {
	v, err := newValidator("")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{
		requestSchema("/webhooks/{webhook_id}/{webhook_token}/messages/@original", "patch"),
		requestSchema("/interactions/{interaction_id}/{interaction_token}/callback", "post"),
	} {
		if _, err := v.schema(p); err != nil {
			t.Errorf("compile %s: %v", p, err)
		}
	}
	if err := v.validate(requestSchema("/channels/{channel_id}/messages/{message_id}/threads", "post"), []byte(`{"name":"x","auto_archive_duration":100}`)); err == nil {
		t.Error("auto_archive_duration 100 accepted")
	}
}
