//go:build linux

package tf

import (
	"runtime"
	"syscall"
)

// lowerThreadPriority pins the calling goroutine to its OS thread and
// raises that thread's nice value. On Linux the nice value belongs to a
// thread, and a process inherits the one of the thread that forked it, so
// terraform started from here runs at terraformNice while the engine's
// other threads keep theirs. The thread is never unlocked: it exits with
// the goroutine instead of going back to the scheduler with a lower
// priority. Raising one's own nice value needs no privilege; if it fails
// anyway terraform just runs at the engine's priority.
func lowerThreadPriority() {
	runtime.LockOSThread()
	_ = syscall.Setpriority(syscall.PRIO_PROCESS, syscall.Gettid(), terraformNice)
}
