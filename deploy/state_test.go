package deploy

import (
	"sort"
	"strings"
	"testing"
)

// specTable is SPEC §1's transition table, written out independently of
// the code so that a change to either shows up here.
var specTable = map[State]string{
	StateDraft:      "PLANNING CANCELLED EXPIRED",
	StatePlanning:   "PLANNED PLAN_FAILED CANCELLED",
	StatePlanned:    "PLANNING APPROVED CANCELLED EXPIRED",
	StatePlanFailed: "PLANNING CANCELLED EXPIRED",
	StateApproved:   "APPLYING FAILED CANCELLED",
	StateApplying:   "APPLIED FAILED CANCELLED",
	StateApplied:    "",
	StateFailed:     "",
	StateCancelled:  "",
	StateExpired:    "",
}

func TestTransitionTableIsSPECs(t *testing.T) {
	if len(AllStates()) != 10 {
		t.Fatalf("%d states, want 10", len(AllStates()))
	}
	for _, from := range AllStates() {
		want := strings.Fields(specTable[from])
		sort.Strings(want)
		var got []string
		for _, to := range AllStates() {
			if from.CanTransitionTo(to) {
				got = append(got, string(to))
			}
		}
		sort.Strings(got)
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("%s → %v, SPEC says %v", from, got, want)
		}
		if from.Final() != (len(want) == 0) {
			t.Errorf("%s.Final() = %v", from, from.Final())
		}
	}
}

func TestStateHelpers(t *testing.T) {
	tests := []struct {
		s                State
		valid, exp, open bool
	}{
		{StateDraft, true, true, true},
		{StatePlanning, true, false, true},
		{StatePlanned, true, true, true},
		{StatePlanFailed, true, true, true},
		{StateApproved, true, false, true},
		{StateApplying, true, false, false},
		{StateApplied, true, false, false},
		{StateExpired, true, false, false},
		{State("BOGUS"), false, false, false},
	}
	for _, tt := range tests {
		if tt.s.Valid() != tt.valid || tt.s.Expirable() != tt.exp || tt.s.Open() != tt.open {
			t.Errorf("%s: valid %v expirable %v open %v", tt.s, tt.s.Valid(), tt.s.Expirable(), tt.s.Open())
		}
	}
}

func TestIDs(t *testing.T) {
	seen := map[string]bool{}
	for range 1000 {
		id := NewSessionID()
		if !ValidSessionID(id) {
			t.Fatalf("invalid session id %q", id)
		}
		seen[id] = true
	}
	if len(seen) < 999 {
		t.Errorf("only %d distinct ids of 1000", len(seen))
	}
	for id, ok := range map[string]bool{"dev": true, "a1": true, "my-project": true, "a": false, "-dev": false,
		"dev-": false, "Dev": false, "d_v": false, strings.Repeat("a", 30): true, strings.Repeat("a", 31): false} {
		if ValidProjectID(id) != ok {
			t.Errorf("ValidProjectID(%q) = %v", id, !ok)
		}
	}
}

func TestParseStateFilter(t *testing.T) {
	if s, err := ParseStateFilter("applied"); err != nil || s != StateApplied {
		t.Errorf("applied → %q %v", s, err)
	}
	if s, err := ParseStateFilter(""); err != nil || s != "" {
		t.Errorf("empty → %q %v", s, err)
	}
	if _, err := ParseStateFilter("done"); ErrorCode(err) != EINVALID {
		t.Errorf("done → %v", err)
	}
}
