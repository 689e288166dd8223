package playground

import (
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// JavaScript probes of the page as a user sees it.
const (
	lastState  = `(() => { const f = [...document.querySelectorAll('#messages .embed-field[data-field="State"] .field-value')].pop(); return f ? f.textContent : ""; })()`
	lastSessID = `(() => { const f = [...document.querySelectorAll('#messages .embed-field[data-field="Session"] .field-value')].pop(); return f ? f.textContent : ""; })()`
	threadText = `document.getElementById("thread-messages").innerText`
)

func messagesContain(s string) string {
	return `String(document.getElementById("messages").innerText.includes(` + strconv.Quote(s) + `))`
}

func buttonEnabled(label string) string {
	return `(() => { const b = [...document.querySelectorAll('#messages button.btn')].filter(b => b.textContent === ` +
		strconv.Quote(label) + `).pop(); return b ? String(!b.disabled) : "missing"; })()`
}

func clickButton(label string) string {
	return `[...document.querySelectorAll('#messages button.btn')].filter(b => b.textContent === ` + strconv.Quote(label) + `).pop().click()`
}

// TestBrowserDeployApplyDestroy drives the page in headless Chromium the way
// a newcomer would: create a project, grant a member, deploy as that member
// with a VM added through the modal, approve, watch the thread, destroy.
func TestBrowserDeployApplyDestroy(t *testing.T) {
	r := startPlayground(t, t.TempDir())
	b := openBrowser(t, r.url+"/")
	ada, bob := Members()[0], Members()[2]

	b.actAs(ada)
	b.slash("cloud-create-project")
	b.run("fill the project", 10*time.Second, b.option("project_id", "web"), b.choice("provider", "sandbox"),
		b.option("description", "Made in the browser"))
	b.send()
	b.waitFor("the project's confirmation", messagesContain("Project web created"), "true", 15*time.Second)
	b.waitFor("the ephemeral mark", messagesContain("Only you can see this"), "true", 5*time.Second)

	b.slash("cloud-grant")
	b.run("choose the member", 5*time.Second, b.choice("user", bob.ID))
	b.autocomplete("project", "we", "web")
	b.run("choose the level", 5*time.Second, b.choice("level", "deploy"))
	b.send()
	b.waitFor("the grant's confirmation", messagesContain("Granted deploy on project web"), "true", 15*time.Second)

	b.actAs(bob)
	b.waitFor("Ada's ephemeral answers to disappear for Bob", messagesContain("Project web created"), "false", 5*time.Second)
	b.slash("cloud-deploy")
	b.autocomplete("project", "w", "web")
	b.send()
	b.waitFor("the lobby", lastState, "DRAFT", 20*time.Second)

	b.run("add a VM", 10*time.Second,
		// The page resets the select once it has sent the choice, as
		// Discord does, so set and announce the value in one step.
		chromedp.Evaluate[chromedp.Void](`(() => { const s = [...document.querySelectorAll('#messages select[data-custom-id^="add:"]')].pop();`+
			` s.value = "compute_vm"; s.dispatchEvent(new Event("change")); })()`),
		chromedp.WaitVisible(chromedp.CSS(`#modal[open] #modal-name`)),
		chromedp.SendKeys(chromedp.CSS(`#modal-name`), "web1"),
		chromedp.Click(chromedp.CSS(`#modal-submit`)),
		chromedp.WaitNotVisible(chromedp.CSS(`#modal`)))
	b.waitFor("the plan", lastState, "PLANNED", 60*time.Second)
	b.waitFor("Approve to be enabled", buttonEnabled("Approve & Deploy"), "true", 10*time.Second)
	var sid string
	if err := b.eval(lastSessID, &sid); err != nil || len(sid) != 8 {
		b.fail("session id on the lobby: %q %v", sid, err)
	}
	b.run("approve", 5*time.Second, chromedp.Evaluate[chromedp.Void](clickButton("Approve & Deploy")))
	b.waitFor("the apply", lastState, "APPLIED", 90*time.Second)

	// The channel list is re-rendered as events arrive, so the item is
	// clicked by a probe that finds it afresh each time until the panel shows.
	b.waitFor("the thread to open", `(() => { const p = document.getElementById("thread-panel");`+
		` if (p && !p.hidden) return "open"; const i = document.querySelector(".thread-item[data-thread-id]");`+
		` if (i) i.click(); return "closed"; })()`, "open", 10*time.Second)
	b.waitFor("the thread's closing line", `String(`+threadText+`.includes("Apply complete! Resources: 1 added, 0 changed, 0 destroyed."))`, "true", 20*time.Second)
	b.waitFor("the thread's name", `document.getElementById("thread-title").textContent`, "deploy-web-"+sid, 5*time.Second)
	checkAttachment(t, b, r.url)
	saveScreenshot(t, b)

	b.slash("cloud-destroy")
	b.autocomplete("session_id", sid[:2], sid)
	b.send()
	b.waitFor("the destroy plan", lastState, "PLANNED", 60*time.Second)
	b.waitFor("Approve & Destroy to be enabled", buttonEnabled("Approve & Destroy"), "true", 10*time.Second)
	b.run("approve the destroy", 5*time.Second, chromedp.Evaluate[chromedp.Void](clickButton("Approve & Destroy")))
	b.waitFor("the destroy", lastState, "APPLIED", 90*time.Second)
	b.waitFor("the destroy thread", `String(document.querySelectorAll(".thread-item").length)`, "2", 10*time.Second)
}

// checkAttachment downloads the apply log linked in the thread.
func checkAttachment(t *testing.T, b *browser, base string) {
	t.Helper()
	var href string
	b.waitFor("the apply log attachment", `String(document.querySelectorAll("#thread-messages .file a").length > 0)`, "true", 20*time.Second)
	if err := b.eval(`document.querySelector("#thread-messages .file a").getAttribute("href")`, &href); err != nil {
		b.fail("attachment link: %v", err)
	}
	resp, err := http.Get(base + href)
	if err != nil {
		t.Fatalf("download %s: %v", href, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || !strings.Contains(resp.Header.Get("Content-Disposition"), "attachment") || len(body) == 0 {
		t.Errorf("download %s: %d %q, %d bytes", href, resp.StatusCode, resp.Header.Get("Content-Disposition"), len(body))
	}
}

// saveScreenshot keeps a picture of the applied deployment with the test
// output: at $PLAYGROUND_SCREENSHOT, else in the test's temp directory.
func saveScreenshot(t *testing.T, b *browser) {
	t.Helper()
	path := os.Getenv("PLAYGROUND_SCREENSHOT")
	if path == "" {
		path = filepath.Join(t.TempDir(), "playground.png")
	}
	if err := b.screenshot(path); err != nil {
		t.Fatalf("%v", err)
	}
	t.Logf("screenshot: %s", path)
}
