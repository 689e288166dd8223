package charttest

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	corev1 "k8s.io/api/core/v1"
)

// checkSecurity: non-root, read-only root filesystem, no privilege
// escalation, no capabilities, RuntimeDefault seccomp, and writable HOME,
// TMPDIR and DATA_DIR on volumes.
func checkSecurity(t *testing.T, rel *release) {
	t.Helper()
	pod := rel.Deployment.Spec.Template.Spec
	if psc := pod.SecurityContext; psc == nil || psc.RunAsNonRoot == nil || !*psc.RunAsNonRoot ||
		psc.RunAsUser == nil || *psc.RunAsUser == 0 {
		t.Errorf("pod securityContext must run as a non-root uid: %+v", psc)
	}
	if pod.AutomountServiceAccountToken == nil || *pod.AutomountServiceAccountToken {
		t.Error("the engine does not talk to the Kubernetes API; its token must not be mounted")
	}
	c := container(t, rel)
	sc := c.SecurityContext
	if sc == nil {
		t.Fatal("container has no securityContext")
	}
	checks := []struct {
		what string
		ok   bool
	}{
		{"runAsNonRoot", sc.RunAsNonRoot != nil && *sc.RunAsNonRoot},
		{"runAsUser non-zero", sc.RunAsUser != nil && *sc.RunAsUser != 0},
		{"readOnlyRootFilesystem", sc.ReadOnlyRootFilesystem != nil && *sc.ReadOnlyRootFilesystem},
		{"allowPrivilegeEscalation false", sc.AllowPrivilegeEscalation != nil && !*sc.AllowPrivilegeEscalation},
		{"capabilities drop ALL", sc.Capabilities != nil && slices.Contains(sc.Capabilities.Drop, "ALL") && len(sc.Capabilities.Add) == 0},
		{"seccomp RuntimeDefault", sc.SeccompProfile != nil && sc.SeccompProfile.Type == corev1.SeccompProfileTypeRuntimeDefault},
		{"not privileged", sc.Privileged == nil || !*sc.Privileged},
	}
	for _, ch := range checks {
		if !ch.ok {
			t.Errorf("container securityContext: want %s, got %+v", ch.what, sc)
		}
	}
	mounts := map[string]string{}
	for _, m := range c.VolumeMounts {
		if m.ReadOnly {
			continue
		}
		mounts[m.MountPath] = m.Name
	}
	writable := map[string]string{"HOME": "", "TMPDIR": "", "DATA_DIR": rel.ConfigMap.Data["DATA_DIR"]}
	for _, name := range []string{"HOME", "TMPDIR"} {
		if e, ok := envVar(c, name); ok {
			writable[name] = e.Value
		}
	}
	for name, path := range writable {
		vol, ok := mounts[path]
		if path == "" || !ok {
			t.Errorf("%s=%q is not on a writable volume (mounts %v)", name, path, mounts)
			continue
		}
		if v, _ := volume(rel, vol); name != "DATA_DIR" && v.EmptyDir == nil {
			t.Errorf("%s must be an emptyDir, got %+v", name, v.VolumeSource)
		}
	}
}

// checkGrace: Kubernetes waits longer than SHUTDOWN_GRACE plus
// INTERRUPT_GRACE before it kills the pod, so the engine can interrupt
// applies gracefully first and terraform can save its state.
func checkGrace(t *testing.T, rel *release, wantSeconds int64) {
	t.Helper()
	grace, err := parseEngineDuration(rel.ConfigMap.Data["SHUTDOWN_GRACE"])
	if err != nil {
		t.Fatalf("SHUTDOWN_GRACE: %v", err)
	}
	interrupt, err := parseEngineDuration(rel.ConfigMap.Data["INTERRUPT_GRACE"])
	if err != nil {
		t.Fatalf("INTERRUPT_GRACE: %v", err)
	}
	tgps := rel.Deployment.Spec.Template.Spec.TerminationGracePeriodSeconds
	if tgps == nil {
		t.Fatal("terminationGracePeriodSeconds unset")
	}
	if time.Duration(*tgps)*time.Second <= grace+interrupt {
		t.Errorf("terminationGracePeriodSeconds %d is not above SHUTDOWN_GRACE %s plus INTERRUPT_GRACE %s", *tgps, grace, interrupt)
	}
	if *tgps != wantSeconds {
		t.Errorf("terminationGracePeriodSeconds = %d, want %d", *tgps, wantSeconds)
	}
}

// parseEngineDuration reads a duration as the engine does: Go's syntax plus
// whole days written as a leading "Nd".
func parseEngineDuration(s string) (time.Duration, error) {
	days := time.Duration(0)
	if i := strings.Index(s, "d"); i > 0 {
		n, err := strconv.Atoi(s[:i])
		if err != nil {
			return 0, fmt.Errorf("days in %q: %w", s, err)
		}
		days, s = time.Duration(n)*24*time.Hour, s[i+1:]
		if s == "" {
			return days, nil
		}
	}
	d, err := time.ParseDuration(s)
	return days + d, err
}
