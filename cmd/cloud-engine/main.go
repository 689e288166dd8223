// Command cloud-engine runs Cloud Engine: Discord slash commands that
// plan, approve and apply Terraform changes.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// Set at build time with -ldflags "-X main.version=… -X main.commit=…".
var (
	version = "dev"
	commit  = "none"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "cloud-engine:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cmd := "serve"
	if len(args) > 0 {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "serve":
		return serve(ctx, stderr)
	case "register-commands":
		return registerCommands(ctx, args, stdout, stderr)
	case "migrate":
		return migrate(ctx, stdout, stderr)
	case "playground":
		return runPlayground(ctx, stdout, stderr)
	case "version", "--version", "-v":
		fmt.Fprintf(stdout, "cloud-engine %s (%s)\n", version, commit)
		return nil
	case "help", "--help", "-h":
		fmt.Fprint(stdout, usage)
		return nil
	}
	return fmt.Errorf("unknown command %q\n%s", cmd, usage)
}

const usage = `Usage: cloud-engine [command]

Commands:
  serve                          run the interactions endpoint (default)
  register-commands [--guild ID] bulk-overwrite the slash commands (global, or one guild)
  migrate                        apply database migrations and exit
  playground                     the service wired to a built-in Discord stand-in, with a web page
  version                        print the version

Configuration comes from the environment and a .env file; see README.md.
`
