package playground_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestMakeTestInstallsChromium: the README's test command installs the
// browser itself when it runs as root on a machine without one, and a
// second run does nothing. apt-get and id are stand-ins on a PATH of their own.
func TestMakeTestInstallsChromium(t *testing.T) {
	out, err := exec.Command("make", "-C", "..", "-n", "test-go").CombinedOutput()
	if err != nil {
		t.Fatalf("make -n test-go: %v\n%s", err, out)
	}
	if !strings.Contains(string(out), "scripts/ensure-chromium.sh") {
		t.Fatalf("make test does not ensure Chromium:\n%s", out)
	}

	chmod, err := exec.LookPath("chmod")
	if err != nil {
		t.Fatal(err)
	}
	bin := t.TempDir()
	calls := filepath.Join(t.TempDir(), "apt-get.calls")
	stubs := map[string]string{
		"id": "#!/bin/sh\necho 0\n",
		// "Installs" chromium by putting one on PATH.
		"apt-get": "#!/bin/sh\necho \"$*\" >> " + calls + "\n" +
			"case \"$*\" in *install*) printf '#!/bin/sh\\n' > " + filepath.Join(bin, "chromium") +
			"; " + chmod + " +x " + filepath.Join(bin, "chromium") + ";; esac\n",
	}
	for name, body := range stubs {
		if err := os.WriteFile(filepath.Join(bin, name), []byte(body), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Fatal(err)
	}
	run := func() {
		t.Helper()
		cmd := exec.Command(bash, "../scripts/ensure-chromium.sh")
		cmd.Env = []string{"PATH=" + bin, "HOME=" + t.TempDir()}
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("ensure-chromium: %v\n%s", err, out)
		}
	}
	run()
	got, _ := os.ReadFile(calls)
	if !strings.Contains(string(got), "install -y -qq chromium") {
		t.Fatalf("apt-get was called with %q, want an install of chromium", got)
	}
	run()
	again, _ := os.ReadFile(calls)
	if string(again) != string(got) {
		t.Errorf("a second run called apt-get again: %q", again)
	}
}
