package charttest

import (
	"slices"
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
)

var secretVars = []string{"DISCORD_PUBLIC_KEY", "DISCORD_APPLICATION_ID", "DISCORD_BOT_TOKEN", "DATABASE_URL"}

func container(t *testing.T, rel *release) corev1.Container {
	t.Helper()
	cs := rel.Deployment.Spec.Template.Spec.Containers
	if len(cs) != 1 {
		t.Fatalf("want one container, got %d", len(cs))
	}
	return cs[0]
}

func envVar(c corev1.Container, name string) (corev1.EnvVar, bool) {
	for _, e := range c.Env {
		if e.Name == name {
			return e, true
		}
	}
	return corev1.EnvVar{}, false
}

func volume(rel *release, name string) (corev1.Volume, bool) {
	for _, v := range rel.Deployment.Spec.Template.Spec.Volumes {
		if v.Name == name {
			return v, true
		}
	}
	return corev1.Volume{}, false
}

// checkTopology: one replica, Recreate and a PVC on SQLite; N replicas and
// rolling updates on PostgreSQL, where /data is only scratch space.
func checkTopology(t *testing.T, rel *release, w want) {
	t.Helper()
	spec := rel.Deployment.Spec
	if spec.Replicas == nil || *spec.Replicas != w.replicas {
		t.Errorf("replicas = %v, want %d", spec.Replicas, w.replicas)
	}
	if spec.Strategy.Type != w.strategy {
		t.Errorf("strategy = %q, want %q", spec.Strategy.Type, w.strategy)
	}
	if w.strategy == appsv1.RollingUpdateDeploymentStrategyType {
		ru := spec.Strategy.RollingUpdate
		if ru == nil || ru.MaxUnavailable == nil || ru.MaxUnavailable.IntValue() != 0 {
			t.Errorf("rolling update must keep every pod until its replacement is ready: %+v", ru)
		}
	}
	data, ok := volume(rel, "data")
	switch {
	case !ok:
		t.Error("no data volume")
	case w.claim != "":
		if data.PersistentVolumeClaim == nil || data.PersistentVolumeClaim.ClaimName != w.claim {
			t.Errorf("data volume = %+v, want claim %q", data.VolumeSource, w.claim)
		}
	case data.EmptyDir == nil:
		t.Errorf("data volume = %+v, want an emptyDir", data.VolumeSource)
	}
	if (rel.PVC != nil) != w.pvcObject {
		t.Errorf("PVC rendered = %v, want %v", rel.PVC != nil, w.pvcObject)
	}
	if rel.PVC != nil {
		if rel.PVC.Name != w.claim {
			t.Errorf("PVC name = %q, want %q", rel.PVC.Name, w.claim)
		}
		if rel.PVC.Annotations["helm.sh/resource-policy"] != "keep" {
			t.Error("the SQLite PVC must survive helm uninstall (helm.sh/resource-policy: keep)")
		}
	}
	if rel.ConfigMap.Data["DATA_DIR"] != "/data" {
		t.Errorf("DATA_DIR = %q, want /data", rel.ConfigMap.Data["DATA_DIR"])
	}
}

func checkProbesAndPorts(t *testing.T, rel *release) {
	t.Helper()
	c := container(t, rel)
	ports := map[string]int32{}
	for _, p := range c.Ports {
		ports[p.Name] = p.ContainerPort
	}
	if ports["http"] != 8080 || ports["metrics"] != 9090 {
		t.Errorf("container ports = %v, want http 8080 and metrics 9090", ports)
	}
	if rel.ConfigMap.Data["LISTEN_ADDR"] != ":8080" || rel.ConfigMap.Data["METRICS_ADDR"] != ":9090" {
		t.Errorf("LISTEN_ADDR/METRICS_ADDR = %q/%q", rel.ConfigMap.Data["LISTEN_ADDR"], rel.ConfigMap.Data["METRICS_ADDR"])
	}
	probes := []struct {
		name  string
		probe *corev1.Probe
		path  string
	}{
		{"liveness", c.LivenessProbe, "/healthz"},
		{"readiness", c.ReadinessProbe, "/readyz"},
		{"startup", c.StartupProbe, "/healthz"},
	}
	for _, p := range probes {
		if p.probe == nil || p.probe.HTTPGet == nil {
			t.Errorf("%s probe missing or not HTTP", p.name)
			continue
		}
		if p.probe.HTTPGet.Path != p.path || p.probe.HTTPGet.Port.String() != "http" {
			t.Errorf("%s probe = %s on %s, want %s on http", p.name, p.probe.HTTPGet.Path, p.probe.HTTPGet.Port.String(), p.path)
		}
	}
	svc := map[string]string{}
	for _, p := range rel.Service.Spec.Ports {
		svc[p.Name] = p.TargetPort.String()
	}
	if svc["http"] != "http" || svc["metrics"] != "metrics" {
		t.Errorf("service ports = %v, want http and metrics targeting the named container ports", svc)
	}
	if c.Resources.Requests.Cpu().IsZero() || c.Resources.Requests.Memory().IsZero() ||
		c.Resources.Limits.Cpu().IsZero() || c.Resources.Limits.Memory().IsZero() {
		t.Errorf("resources need cpu and memory requests and limits: %+v", c.Resources)
	}
}

// checkSecretRefs: every credential reaches the container through a
// secretKeyRef to the chart's Secret or the existing one.
func checkSecretRefs(t *testing.T, rel *release, w want) {
	t.Helper()
	c := container(t, rel)
	for _, name := range secretVars {
		e, ok := envVar(c, name)
		if name == "DATABASE_URL" && !w.postgres {
			if ok {
				t.Errorf("DATABASE_URL set on a SQLite release: %+v", e)
			}
			continue
		}
		if !ok || e.ValueFrom == nil || e.ValueFrom.SecretKeyRef == nil {
			t.Errorf("%s must come from a secretKeyRef, got %+v", name, e)
			continue
		}
		ref := e.ValueFrom.SecretKeyRef
		if ref.Name != w.secretName || ref.Key != name {
			t.Errorf("%s refers to %s/%s, want %s/%s", name, ref.Name, ref.Key, w.secretName, name)
		}
		if rel.Secret != nil {
			if _, ok := rel.Secret.Data[name]; !ok {
				t.Errorf("the chart's Secret lacks %s", name)
			}
		}
	}
	if (rel.Secret != nil) != w.chartSecret {
		t.Fatalf("Secret rendered = %v, want %v", rel.Secret != nil, w.chartSecret)
	}
	if rel.Secret != nil && rel.Secret.Name != w.secretName {
		t.Errorf("Secret name = %q, want %q", rel.Secret.Name, w.secretName)
	}
}

// checkConfigMapHoldsNoSecret: neither the names nor the values of the
// credentials appear in the ConfigMap or in plain env values.
func checkConfigMapHoldsNoSecret(t *testing.T, rel *release) {
	t.Helper()
	var values []string
	if rel.Secret != nil {
		for _, v := range rel.Secret.Data {
			if len(v) > 0 {
				values = append(values, string(v))
			}
		}
	}
	plain := map[string]string{}
	for k, v := range rel.ConfigMap.Data {
		plain["configmap "+k] = v
	}
	for _, e := range container(t, rel).Env {
		if e.ValueFrom == nil {
			plain["env "+e.Name] = e.Value
		}
	}
	for where, v := range plain {
		name := where[strings.Index(where, " ")+1:]
		if slices.Contains(secretVars, name) {
			t.Errorf("%s is a secret and must not be plain", where)
		}
		if strings.Contains(v, "://") && strings.Contains(v, "@") {
			t.Errorf("%s looks like a URL with credentials: %q", where, v)
		}
		for _, s := range values {
			if strings.Contains(v, s) {
				t.Errorf("%s holds a secret value", where)
			}
		}
	}
}
