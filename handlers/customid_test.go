package handlers

import (
	"slices"
	"testing"
)

func TestCustomIDRoundTrip(t *testing.T) {
	tests := []struct {
		prefix string
		args   []string
	}{
		{idAdd, []string{"k3f9x2ab"}},
		{idRemove, []string{"k3f9x2ab"}},
		{idApprove, []string{"k3f9x2ab"}},
		{idReplan, []string{"k3f9x2ab"}},
		{idShowPlan, []string{"k3f9x2ab"}},
		{idCancel, []string{"k3f9x2ab"}},
		{idResource, []string{"k3f9x2ab", "compute_vm"}},
		{idExtend, []string{"k3f9x2ab"}},
		{idDestroyNow, []string{"k3f9x2ab"}},
	}
	for _, tt := range tests {
		id := customID(tt.prefix, tt.args...)
		p, a, ok := parseCustomID(id)
		if !ok || p != tt.prefix || !slices.Equal(a, tt.args) {
			t.Errorf("parse(%q) = %q %v %v", id, p, a, ok)
		}
	}
}

func TestParseCustomIDRejects(t *testing.T) {
	for _, id := range []string{"", "approve", "approve:", "nope:abc", "resource:abc", "approve:a:b", string(make([]byte, 101))} {
		if _, _, ok := parseCustomID(id); ok {
			t.Errorf("parseCustomID(%q) accepted", id)
		}
	}
}

func FuzzParseCustomID(f *testing.F) {
	f.Add("approve:k3f9x2ab")
	f.Add("resource:k3f9x2ab:compute_vm")
	f.Add("::::")
	f.Fuzz(func(t *testing.T, id string) {
		p, args, ok := parseCustomID(id)
		if !ok {
			return
		}
		if back := customID(p, args...); back != id {
			t.Fatalf("round trip %q → %q", id, back)
		}
	})
}
