// Package e2e holds the end-to-end tests: they start the real service
// (app.Main) against the recording fake Discord and the real terraform
// binary, sign interactions like Discord does, and check what users see.
package e2e
