package charttest

import (
	"maps"
	"strings"
	"testing"
)

// checkOptional covers the objects that values switch on: Ingress,
// ServiceMonitor, PrometheusRule and PodDisruptionBudget.
func checkOptional(t *testing.T, rel *release, w want) {
	t.Helper()
	if (rel.Ingress != nil) != (w.ingressHost != "") {
		t.Errorf("Ingress rendered = %v, want host %q", rel.Ingress != nil, w.ingressHost)
	}
	if rel.Ingress != nil {
		checkIngress(t, rel, w.ingressHost)
	}
	if (rel.ServiceMonitor != nil) != w.serviceMonitor {
		t.Errorf("ServiceMonitor rendered = %v, want %v", rel.ServiceMonitor != nil, w.serviceMonitor)
	}
	if rel.ServiceMonitor != nil {
		checkServiceMonitor(t, rel)
	}
	if (rel.PrometheusRule != nil) != w.prometheusRule {
		t.Errorf("PrometheusRule rendered = %v, want %v", rel.PrometheusRule != nil, w.prometheusRule)
	}
	if rel.PrometheusRule != nil {
		checkPrometheusRule(t, rel.PrometheusRule)
	}
	if (rel.PDB != nil) != w.pdb {
		t.Errorf("PodDisruptionBudget rendered = %v, want %v", rel.PDB != nil, w.pdb)
	}
	if rel.PDB != nil {
		podLabels := rel.Deployment.Spec.Template.Labels
		if !isSubset(rel.PDB.Spec.Selector.MatchLabels, podLabels) {
			t.Errorf("PDB selector %v does not select the pods %v", rel.PDB.Spec.Selector.MatchLabels, podLabels)
		}
		if rel.PDB.Spec.MinAvailable == nil && rel.PDB.Spec.MaxUnavailable == nil {
			t.Error("PDB sets neither minAvailable nor maxUnavailable")
		}
	}
}

func checkIngress(t *testing.T, rel *release, host string) {
	t.Helper()
	spec := rel.Ingress.Spec
	if len(spec.TLS) != 1 || len(spec.TLS[0].Hosts) != 1 || spec.TLS[0].Hosts[0] != host || spec.TLS[0].SecretName == "" {
		t.Errorf("Ingress TLS = %+v, want host %q with a secret (Discord needs https)", spec.TLS, host)
	}
	if len(spec.Rules) != 1 || spec.Rules[0].Host != host || spec.Rules[0].HTTP == nil || len(spec.Rules[0].HTTP.Paths) != 1 {
		t.Fatalf("Ingress rules = %+v, want one path on %q", spec.Rules, host)
	}
	p := spec.Rules[0].HTTP.Paths[0]
	if p.Path != "/interactions" || p.Backend.Service == nil ||
		p.Backend.Service.Name != rel.Service.Name || p.Backend.Service.Port.Name != "http" {
		t.Errorf("Ingress path = %s -> %+v, want /interactions -> %s:http", p.Path, p.Backend.Service, rel.Service.Name)
	}
}

func checkServiceMonitor(t *testing.T, rel *release) {
	t.Helper()
	sm := rel.ServiceMonitor
	if sm.Kind != "ServiceMonitor" || sm.APIVersion != monitoringAPIVersion || sm.Name == "" {
		t.Errorf("ServiceMonitor header = %s %s %q", sm.APIVersion, sm.Kind, sm.Name)
	}
	if len(sm.Spec.Selector.MatchLabels) == 0 || !isSubset(sm.Spec.Selector.MatchLabels, rel.Service.Labels) {
		t.Errorf("ServiceMonitor selector %v does not select the Service labels %v", sm.Spec.Selector.MatchLabels, rel.Service.Labels)
	}
	if len(sm.Spec.NamespaceSelector.MatchNames) != 1 || sm.Spec.NamespaceSelector.MatchNames[0] != namespace {
		t.Errorf("ServiceMonitor namespaceSelector = %+v, want %s", sm.Spec.NamespaceSelector, namespace)
	}
	if len(sm.Spec.Endpoints) != 1 {
		t.Fatalf("ServiceMonitor endpoints = %+v, want one", sm.Spec.Endpoints)
	}
	ep := sm.Spec.Endpoints[0]
	if ep.Port != "metrics" || ep.Path != "/metrics" {
		t.Errorf("ServiceMonitor endpoint = %+v, want port metrics path /metrics", ep)
	}
}

func checkPrometheusRule(t *testing.T, pr *PrometheusRule) {
	t.Helper()
	if err := pr.validate(); err != nil {
		t.Fatal(err)
	}
	alerts := []struct {
		name     string
		contains []string
	}{
		{"CloudEngineApplyFailed", []string{"increase(cloudengine_terraform_runs_total{", `operation=~"apply|destroy"`, `outcome="failure"`, "[15m]) > 0"}},
		{"CloudEngineDown", []string{"up{", "== 0"}},
		{"CloudEngineInteractionErrors", []string{"cloudengine_interactions_total{", `outcome="error"`}},
		{"CloudEngineDeploymentDrifted", []string{"max(cloudengine_deployments{", `status="drifted"`, "> 0"}},
	}
	for _, a := range alerts {
		r, ok := pr.alert(a.name)
		if !ok {
			t.Errorf("alert %s missing", a.name)
			continue
		}
		for _, s := range a.contains {
			if !strings.Contains(r.Expr, s) {
				t.Errorf("alert %s expr %q lacks %q", a.name, r.Expr, s)
			}
		}
		if r.Labels["severity"] == "" || r.Annotations["summary"] == "" {
			t.Errorf("alert %s needs a severity label and a summary", a.name)
		}
		// Helm must pass Prometheus' own templates through untouched.
		if d := r.Annotations["description"]; !strings.Contains(d, "{{ $") {
			t.Errorf("alert %s description lost its Prometheus template: %q", a.name, d)
		}
	}
}

func isSubset(sub, set map[string]string) bool {
	for k, v := range maps.All(sub) {
		if got, ok := set[k]; !ok || got != v {
			return false
		}
	}
	return true
}
