package playground

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// chooseIn sets the last select whose custom id starts with prefix and
// announces the change, as a user picking an option does.
func chooseIn(prefix, value string) chromedp.Action[chromedp.Void] {
	return chromedp.Evaluate[chromedp.Void](`(() => { const s = [...document.querySelectorAll('#messages select[data-custom-id^="` + prefix + `"]')].pop();` +
		` s.value = "` + value + `"; s.dispatchEvent(new Event("change")); })()`)
}

// TestBrowserUpdateAndRollback is Day 2 in the playground, on the demo
// project it creates: deploy a VM, change its size with /cloud-update, then
// roll it back from /cloud-history, all in the page.
func TestBrowserUpdateAndRollback(t *testing.T) {
	r := startPlayground(t, t.TempDir())
	b := openBrowser(t, r.url+"/")
	b.actAs(Members()[1])

	b.slash("cloud-deploy")
	b.autocomplete("project", "d", DemoProject)
	b.send()
	b.waitFor("the lobby", lastState, "DRAFT", 20*time.Second)
	b.run("add a VM", 10*time.Second, chooseIn("add:", "compute_vm"),
		chromedp.WaitVisible(chromedp.CSS(`#modal[open] #modal-name`)),
		chromedp.SendKeys(chromedp.CSS(`#modal-name`), "web"),
		chromedp.Click(chromedp.CSS(`#modal-submit`)),
		chromedp.WaitNotVisible(chromedp.CSS(`#modal`)))
	b.waitFor("Approve to be enabled", buttonEnabled("Approve & Deploy"), "true", 60*time.Second)
	var sid string
	if err := b.eval(lastSessID, &sid); err != nil || len(sid) != 8 {
		b.fail("session id on the lobby: %q %v", sid, err)
	}
	b.run("approve", 5*time.Second, chromedp.Evaluate[chromedp.Void](clickButton("Approve & Deploy")))
	b.waitFor("the apply", lastState, "APPLIED", 90*time.Second)

	b.slash("cloud-update")
	b.autocomplete("session_id", sid[:2], sid)
	b.send()
	b.waitFor("the update's first plan", messagesContain("No changes."), "true", 60*time.Second)
	b.run("change the VM's size", 10*time.Second, chooseIn("change:", "web"),
		chromedp.WaitVisible(chromedp.CSS(`#modal[open] #modal-size`)),
		chromedp.SetValue(chromedp.CSS(`#modal-size`), "large"),
		chromedp.Click(chromedp.CSS(`#modal-submit`)),
		chromedp.WaitNotVisible(chromedp.CSS(`#modal`)))
	b.waitFor("Approve & Update to be enabled", buttonEnabled("Approve & Update"), "true", 60*time.Second)
	b.waitFor("the change", messagesContain("Plan: 0 to add, 1 to change, 0 to destroy."), "true", 5*time.Second)
	b.run("approve the update", 5*time.Second, chromedp.Evaluate[chromedp.Void](clickButton("Approve & Update")))
	b.waitFor("the update", lastState, "APPLIED", 90*time.Second)

	b.slash("cloud-history")
	b.autocomplete("session_id", sid[:2], sid)
	b.send()
	b.waitFor("the history", messagesContain("History of "+sid), "true", 15*time.Second)
	b.run("roll back to r1", 10*time.Second, chooseIn("rollback:", "r1"))
	b.waitFor("the rollback lobby", messagesContain("Rolls back to r1"), "true", 20*time.Second)
	b.waitFor("Approve & Update on the rollback", buttonEnabled("Approve & Update"), "true", 60*time.Second)
	b.run("approve the rollback", 5*time.Second, chromedp.Evaluate[chromedp.Void](clickButton("Approve & Update")))
	b.waitFor("the rollback", lastState, "APPLIED", 90*time.Second)
}
