package playground

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// chromiumPath finds the headless browser; CHROMIUM_PATH overrides.
func chromiumPath(t *testing.T) string {
	if p := os.Getenv("CHROMIUM_PATH"); p != "" {
		return p
	}
	for _, name := range []string{"/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Fatalf("no Chromium for the browser test: install it (`apt-get install -y chromium`) or set CHROMIUM_PATH")
	return ""
}

// browser is one headless Chromium tab on the page.
type browser struct {
	t   *testing.T
	ctx context.Context
}

func openBrowser(t *testing.T, url string) *browser {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath(t)),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1400, 900),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(actx, chromedp.WithLogf(t.Logf))
	t.Cleanup(func() { cancelTab(); cancelAlloc() })
	b := &browser{t: t, ctx: ctx}
	// The first run starts the browser, which lives as long as that run's
	// context: no timeout on it.
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("the browser %s did not start: %v", chromiumPath(t), err)
	}
	// Errors of the page's scripts fail the test: the page must work.
	b.run("open the page", 30*time.Second, chromedp.Navigate(url),
		chromedp.Evaluate[chromedp.Void](`window.__errors = []; window.addEventListener("error", e => window.__errors.push(String(e.message)));`+
			`window.addEventListener("unhandledrejection", e => window.__errors.push(String(e.reason)))`))
	b.waitFor("the members in the user switcher", `String(document.querySelectorAll("#user-switch option").length)`,
		strconv.Itoa(len(Members())), 20*time.Second)
	return b
}

// run performs actions with a deadline.
func (b *browser) run(what string, d time.Duration, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, d)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		b.fail("%s: %v", what, err)
	}
}

// eval runs a JavaScript expression that yields a string.
func (b *browser) eval(expr string, out *string) error {
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[string](expr))
	*out = v
	return err
}

// waitFor polls a JavaScript expression until it yields want.
func (b *browser) waitFor(what, expr, want string, d time.Duration) {
	b.t.Helper()
	deadline := time.Now().Add(d)
	var got string
	for time.Now().Before(deadline) {
		if err := b.eval(expr, &got); err == nil && got == want {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	b.fail("timed out after %s waiting for %s: got %q, want %q", d, what, got, want)
}

// fail saves a screenshot of the moment before failing.
func (b *browser) fail(format string, args ...any) {
	b.t.Helper()
	// Outside the test's temp directory, which is gone when the test ends.
	path := filepath.Join(os.TempDir(), "playground-"+b.t.Name()+"-failure.png")
	if err := b.screenshot(path); err == nil {
		b.t.Logf("screenshot of the failure: %s", path)
	}
	var errs string
	_ = b.eval(`JSON.stringify(window.__errors || [])`, &errs)
	b.t.Fatalf(format+"\npage errors: %s", append(args, errs)...)
}

func (b *browser) screenshot(path string) error {
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		return fmt.Errorf("screenshot: %w", err)
	}
	if err := os.WriteFile(path, png, 0o644); err != nil {
		return fmt.Errorf("save screenshot: %w", err)
	}
	return nil
}

// actAs switches the page's member with the user switcher.
func (b *browser) actAs(m Member) {
	b.t.Helper()
	b.run("switch user to "+m.Name, 10*time.Second,
		chromedp.SetValue(chromedp.CSS(`#user-switch`), m.ID),
		chromedp.Evaluate[chromedp.Void](`document.getElementById("user-switch").dispatchEvent(new Event("change"))`))
	b.waitFor("the switch to "+m.Name, `document.getElementById("me-avatar").textContent`, m.Name[:1], 5*time.Second)
}

// slash picks a command in the command box as a user would: type, then
// click the suggestion.
func (b *browser) slash(name string) {
	b.t.Helper()
	b.run("choose /"+name, 10*time.Second,
		chromedp.Click(chromedp.CSS(`#command-input`)),
		chromedp.SendKeys(chromedp.CSS(`#command-input`), "/"+name),
		chromedp.Click(chromedp.CSS(`.cmd-suggestion[data-name="`+name+`"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#command-form .cmd-name`)))
}

// option types into a text option of the chosen command.
func (b *browser) option(name, value string) chromedp.Action[chromedp.Void] {
	return chromedp.SendKeys(chromedp.CSS(`#opt-`+name), value)
}

// choice sets a select option of the chosen command.
func (b *browser) choice(name, value string) chromedp.Action[chromedp.Void] {
	return chromedp.SetValue(chromedp.CSS(`#opt-`+name), value)
}

// autocomplete types a prefix and clicks the suggestion with value.
func (b *browser) autocomplete(name, prefix, value string) {
	b.t.Helper()
	b.run("autocomplete "+name, 15*time.Second,
		chromedp.SendKeys(chromedp.CSS(`#opt-`+name), prefix),
		chromedp.Click(chromedp.CSS(`#command-form .choice[data-value="`+value+`"]`)))
}

func (b *browser) send() {
	b.t.Helper()
	b.run("send the command", 10*time.Second, chromedp.Click(chromedp.CSS(`#send-command`)),
		chromedp.WaitNotVisible(chromedp.CSS(`#command-form`)))
}
