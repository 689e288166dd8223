//go:build !linux

package tf

// lowerThreadPriority does nothing where the nice value is not a thread's
// own: terraform runs at the engine's priority.
func lowerThreadPriority() {}
