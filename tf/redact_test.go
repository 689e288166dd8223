package tf

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/cloudengine/cloud-engine/deploy"
)

func TestRedactKeepsTheDatabaseURLOut(t *testing.T) {
	const dsn = "postgres://engine:s3cr%2Ft@db:5432/ce?sslmode=disable"
	e := &Engine{cfg: Config{DatabaseURL: dsn}}
	cause := fmt.Errorf("terraform init: %w", context.Canceled)
	cases := []struct {
		name string
		err  error
	}{
		{"the url in an application error", &deploy.Error{Code: ECodeTerraform, Message: "Error: failed to connect to " + dsn, Err: cause}},
		{"the password alone in a wrapped error", fmt.Errorf("backend: password s3cr/t refused: %w", cause)},
		{"the escaped password", errors.New("pq: connecting with s3cr%2Ft")},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := e.redact(c.err)
			for _, shown := range []string{got.Error(), deploy.ErrorMessage(got)} {
				if strings.Contains(shown, "s3cr") || strings.Contains(shown, "engine:") {
					t.Fatalf("a secret survives: %q", shown)
				}
			}
			if errors.Is(c.err, context.Canceled) && !errors.Is(got, context.Canceled) {
				t.Error("redaction lost the cause")
			}
			if deploy.ErrorCode(c.err) != deploy.ErrorCode(got) {
				t.Errorf("code %q became %q", deploy.ErrorCode(c.err), deploy.ErrorCode(got))
			}
		})
	}
	plain := errors.New("Error: Invalid resource name")
	if e.redact(plain) != plain {
		t.Error("an error without secrets was rewritten")
	}
	var lines []string
	e.redactLines(func(l string) { lines = append(lines, l) })("Error: cannot reach " + dsn)
	if strings.Contains(lines[0], "s3cr") {
		t.Errorf("a streamed line shows the password: %q", lines[0])
	}
}
