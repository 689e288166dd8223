package handlers

import (
	"encoding/json"
	"testing"
	"time"
)

// FuzzDecodeInteraction: any body is either refused or decoded into an
// interaction of a known type whose accessors never panic; commands,
// components and modals always carry an id and a token.
func FuzzDecodeInteraction(f *testing.F) {
	seeds := []string{
		`{"type":1}`,
		`{"id":"1","token":"t","type":2,"guild_id":"2","member":{"user":{"id":"3"},"permissions":"8"},"data":{"name":"cloud-deploy","options":[{"name":"project","type":3,"value":"dev"}]}}`,
		`{"id":"1","token":"t","type":3,"channel":{"id":"4"},"data":{"custom_id":"approve:k3f9x2ab","component_type":2}}`,
		`{"id":"1","token":"t","type":5,"data":{"custom_id":"resource:k3f9x2ab:compute_vm","components":[{"type":18,"component":{"type":4,"custom_id":"name","value":"web"}}]}}`,
		`{"id":"18446744073709551615","token":"t","type":4,"data":{"options":[{"name":"page","value":"1e400","focused":true}]}}`,
		`{"type":9}`, `[]`, `{"type":"2"}`, ``,
	}
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		in, err := decode(body)
		if err != nil {
			return
		}
		if in.Type < typePing || in.Type > typeModal {
			t.Fatalf("decoded an unknown type %d", in.Type)
		}
		if in.Type != typePing && (in.ID == "" || in.Token == "") {
			t.Fatalf("a type %d interaction without id or token was accepted", in.Type)
		}
		_ = in.UserID()
		_ = in.permissions()
		_ = in.CreatedAt(time.Time{})
		var d CommandData
		if json.Unmarshal(in.Data, &d) == nil {
			_, _ = d.int("page")
			_ = d.str("project")
			_, _ = d.focused()
		}
		var m ModalData
		if json.Unmarshal(in.Data, &m) == nil {
			_ = m.Values()
		}
	})
}

// FuzzModalValues: whatever the nesting of a modal submit, Values returns
// each custom id once with a value that came from the submit.
func FuzzModalValues(f *testing.F) {
	f.Add([]byte(`{"custom_id":"m","components":[{"type":18,"component":{"type":4,"custom_id":"name","value":"web"}},{"type":1,"components":[{"type":4,"custom_id":"size","value":"small"}]}]}`))
	f.Add([]byte(`{"components":[{"type":18,"component":{"type":3,"custom_id":"region","values":["eu","us"]}}]}`))
	f.Add([]byte(`{"components":[{"components":[{"components":[{"custom_id":"deep","value":"x"}]}]}]}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		var m ModalData
		if json.Unmarshal(raw, &m) != nil {
			return
		}
		for k, v := range m.Values() {
			if k == "" {
				t.Fatalf("an empty custom id in %v", m.Values())
			}
			if len(v) > len(raw) {
				t.Fatalf("value %q of %s is longer than the submit", v, k)
			}
		}
	})
}
