package charttest

import (
	"testing"

	corev1 "k8s.io/api/core/v1"
	networkingv1 "k8s.io/api/networking/v1"
)

// render templates the chart and decodes it, failing the test on error.
func render(t *testing.T, files, sets []string) *release {
	t.Helper()
	out, err := runHelm(t, templateArgs(files, sets)...)
	if err != nil {
		t.Fatalf("helm template: %v", err)
	}
	rel, err := decodeRelease(out)
	if err != nil {
		t.Fatal(err)
	}
	return rel
}

// egressPorts lists the TCP/UDP ports each egress rule opens, with whether
// the rule names destinations.
func egressPorts(np *networkingv1.NetworkPolicy) map[string]bool {
	ports := map[string]bool{}
	for _, r := range np.Spec.Egress {
		for _, p := range r.Ports {
			proto := corev1.ProtocolTCP // the API's default
			if p.Protocol != nil {
				proto = *p.Protocol
			}
			ports[string(proto)+"/"+p.Port.String()] = len(r.To) > 0
		}
	}
	return ports
}

// TestChartNetworkPolicy: the policy selects the engine's pods, admits its
// two ports from the configured sources and lets it reach DNS, HTTPS and,
// with PostgreSQL only, the database.
func TestChartNetworkPolicy(t *testing.T) {
	cases := []struct {
		name          string
		files, sets   []string
		off           bool
		ports         map[string]bool // egress port → restricted to named destinations
		httpFrom      bool            // the public port names its sources
		metricsFrom   bool
		ingressSource string // namespace the public port admits, when named
	}{
		{name: "defaults: SQLite", ports: map[string]bool{"UDP/53": false, "TCP/53": false, "TCP/443": false}},
		{name: "PostgreSQL", files: []string{"postgres.yaml"},
			ports: map[string]bool{"UDP/53": false, "TCP/53": false, "TCP/443": false, "TCP/5432": false}},
		{name: "sources and destinations named", files: []string{"postgres.yaml"}, sets: []string{
			"networkPolicy.ingress.httpFrom[0].namespaceSelector.matchLabels.kubernetes\\.io/metadata\\.name=ingress-nginx",
			"networkPolicy.ingress.metricsFrom[0].namespaceSelector.matchLabels.kubernetes\\.io/metadata\\.name=monitoring",
			"networkPolicy.egress.databaseTo[0].ipBlock.cidr=10.20.0.0/24",
			"networkPolicy.egress.httpsPorts={443,3128}",
			"networkPolicy.egress.databasePort=6432",
			"networkPolicy.egress.dns=false",
		}, ports: map[string]bool{"TCP/443": false, "TCP/3128": false, "TCP/6432": true},
			httpFrom: true, metricsFrom: true, ingressSource: "ingress-nginx"},
		{name: "extra egress", sets: []string{"networkPolicy.extraEgress[0].ports[0].port=8081"},
			ports: map[string]bool{"UDP/53": false, "TCP/53": false, "TCP/443": false, "TCP/8081": false}},
		{name: "disabled", sets: []string{"networkPolicy.enabled=false"}, off: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rel := render(t, tc.files, tc.sets)
			np := rel.NetworkPolicy
			if tc.off {
				if np != nil {
					t.Fatalf("a NetworkPolicy with networkPolicy.enabled=false")
				}
				return
			}
			if np == nil {
				t.Fatal("no NetworkPolicy")
			}
			if !isSubset(np.Spec.PodSelector.MatchLabels, rel.Deployment.Spec.Template.Labels) || len(np.Spec.PodSelector.MatchLabels) == 0 {
				t.Errorf("podSelector %v does not select the pods %v", np.Spec.PodSelector.MatchLabels, rel.Deployment.Spec.Template.Labels)
			}
			if len(np.Spec.PolicyTypes) != 2 {
				t.Errorf("policyTypes %v, want Ingress and Egress", np.Spec.PolicyTypes)
			}
			checkIngressRules(t, rel, np, tc.httpFrom, tc.metricsFrom, tc.ingressSource)
			got := egressPorts(np)
			if len(got) != len(tc.ports) {
				t.Errorf("egress ports %v, want %v", got, tc.ports)
			}
			for p, restricted := range tc.ports {
				if r, ok := got[p]; !ok || r != restricted {
					t.Errorf("egress %s: open %v, restricted %v; want restricted %v", p, ok, r, restricted)
				}
			}
		})
	}
}

// checkIngressRules: one rule per named container port, each from the
// configured sources (none named: every source).
func checkIngressRules(t *testing.T, rel *release, np *networkingv1.NetworkPolicy, httpFrom, metricsFrom bool, source string) {
	t.Helper()
	want := map[string]bool{"http": httpFrom, "metrics": metricsFrom}
	named := map[string]bool{}
	for _, p := range container(t, rel).Ports {
		named[p.Name] = p.Protocol == corev1.ProtocolTCP
	}
	if len(np.Spec.Ingress) != len(want) {
		t.Fatalf("%d ingress rules, want %d", len(np.Spec.Ingress), len(want))
	}
	for _, r := range np.Spec.Ingress {
		if len(r.Ports) != 1 || !named[r.Ports[0].Port.String()] {
			t.Errorf("ingress rule ports %v: want one named container port", r.Ports)
			continue
		}
		name := r.Ports[0].Port.String()
		if (len(r.From) > 0) != want[name] {
			t.Errorf("ingress to %s from %v, want sources named: %v", name, r.From, want[name])
		}
		if name == "http" && source != "" {
			if ns := r.From[0].NamespaceSelector; ns == nil || ns.MatchLabels["kubernetes.io/metadata.name"] != source {
				t.Errorf("ingress to http from %v, want namespace %s", r.From, source)
			}
		}
	}
}
