package tf

import "fmt"

// terraformNice is the nice value terraform runs at. Terraform is the
// engine's background work and can keep every core busy (plans and
// applies of many sessions at once); an interaction must be answered
// within Discord's 3 seconds, so the engine's own threads come first.
const terraformNice = 10

// background runs fn, which starts terraform processes, so that they run
// at terraformNice (see priority_linux.go). A panic in fn is raised again
// in the caller's goroutine, where a run's recovery can see it.
func background(fn func() error) error {
	type result struct {
		err      error
		panicked any
	}
	done := make(chan result, 1)
	go func() {
		defer func() {
			if p := recover(); p != nil {
				done <- result{panicked: p}
			}
		}()
		lowerThreadPriority()
		done <- result{err: fn()}
	}()
	r := <-done
	if r.panicked != nil {
		panic(fmt.Sprintf("terraform call: %v", r.panicked))
	}
	return r.err
}
