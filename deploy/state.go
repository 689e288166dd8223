package deploy

// State is one of the ten session states of the product contract.
type State string

// The ten session states.
const (
	StateDraft      State = "DRAFT"
	StatePlanning   State = "PLANNING"
	StatePlanned    State = "PLANNED"
	StatePlanFailed State = "PLAN_FAILED"
	StateApproved   State = "APPROVED"
	StateApplying   State = "APPLYING"
	StateApplied    State = "APPLIED"
	StateFailed     State = "FAILED"
	StateCancelled  State = "CANCELLED"
	StateExpired    State = "EXPIRED"
)

// AllStates lists the states in the order users read them.
func AllStates() []State {
	return []State{StateDraft, StatePlanning, StatePlanned, StatePlanFailed, StateApproved,
		StateApplying, StateApplied, StateFailed, StateCancelled, StateExpired}
}

// next is the one transition table of the product; every state change in the
// store is a compare-and-set checked against it.
func next(s State) []State {
	switch s {
	case StateDraft:
		return []State{StatePlanning, StateCancelled, StateExpired}
	case StatePlanning:
		return []State{StatePlanned, StatePlanFailed, StateCancelled}
	case StatePlanned:
		return []State{StatePlanning, StateApproved, StateCancelled, StateExpired}
	case StatePlanFailed:
		return []State{StatePlanning, StateCancelled, StateExpired}
	case StateApproved:
		return []State{StateApplying, StateFailed, StateCancelled}
	case StateApplying:
		return []State{StateApplied, StateFailed, StateCancelled}
	default:
		return nil
	}
}

// CanTransitionTo reports whether the table allows s → to.
func (s State) CanTransitionTo(to State) bool {
	for _, n := range next(s) {
		if n == to {
			return true
		}
	}
	return false
}

// Final reports whether no transition leaves s.
func (s State) Final() bool { return s.Valid() && len(next(s)) == 0 }

// Valid reports whether s is one of the ten states.
func (s State) Valid() bool {
	for _, v := range AllStates() {
		if v == s {
			return true
		}
	}
	return false
}

// Open reports whether a session in s still counts against quotas as work in
// progress (everything before an apply began and is not final).
func (s State) Open() bool {
	switch s {
	case StateDraft, StatePlanning, StatePlanned, StatePlanFailed, StateApproved:
		return true
	}
	return false
}

// Running reports whether terraform works on a session in s (or is about
// to): its lobby then takes no changes.
func (s State) Running() bool {
	return s == StatePlanning || s == StateApproved || s == StateApplying
}

// Expirable reports whether a session idle past the TTL in s becomes EXPIRED.
func (s State) Expirable() bool {
	return s == StateDraft || s == StatePlanned || s == StatePlanFailed
}
