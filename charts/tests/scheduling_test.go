package charttest

import (
	"strings"
	"testing"

	corev1 "k8s.io/api/core/v1"
	"k8s.io/apimachinery/pkg/api/resource"
)

// TestChartEphemeralStorage: the container requests and limits
// ephemeral-storage, and the limit holds every emptyDir at its size limit
// (provider installations and working directories live there).
func TestChartEphemeralStorage(t *testing.T) {
	for _, files := range [][]string{nil, {"postgres.yaml"}} {
		rel := render(t, files, nil)
		c := container(t, rel)
		req, okReq := c.Resources.Requests[corev1.ResourceEphemeralStorage]
		limit, okLim := c.Resources.Limits[corev1.ResourceEphemeralStorage]
		if !okReq || !okLim || req.Cmp(limit) > 0 {
			t.Fatalf("%v: ephemeral-storage request %v (%v), limit %v (%v)", files, req.String(), okReq, limit.String(), okLim)
		}
		total := resource.MustParse("0")
		for _, v := range rel.Deployment.Spec.Template.Spec.Volumes {
			if v.EmptyDir != nil && v.EmptyDir.SizeLimit != nil {
				total.Add(*v.EmptyDir.SizeLimit)
			}
		}
		if limit.Cmp(total) <= 0 {
			t.Errorf("%v: ephemeral-storage limit %s does not exceed the emptyDirs' %s", files, limit.String(), total.String())
		}
	}
}

// TestChartPodAntiAffinity: several replicas are spread over nodes by
// default (preferred), or as podAntiAffinity says; one replica, or an
// affinity of the operator's, gets none of the chart's.
func TestChartPodAntiAffinity(t *testing.T) {
	cases := []struct {
		name        string
		files, sets []string
		want        string // "preferred", "required", "" (none), "custom"
	}{
		{name: "SQLite: one replica", want: ""},
		{name: "PostgreSQL, three replicas", files: []string{"postgres.yaml"}, want: "preferred"},
		{name: "PostgreSQL, one replica", files: []string{"postgres.yaml"}, sets: []string{"replicaCount=1", "podDisruptionBudget.enabled=false"}, want: ""},
		{name: "required", files: []string{"postgres.yaml"}, sets: []string{"podAntiAffinity=required"}, want: "required"},
		{name: "none", files: []string{"postgres.yaml"}, sets: []string{"podAntiAffinity=none"}, want: ""},
		{name: "the operator's affinity wins", files: []string{"postgres.yaml"},
			sets: []string{"affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].key=pool",
				"affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].operator=Exists"},
			want: "custom"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rel := render(t, tc.files, tc.sets)
			spec := rel.Deployment.Spec.Template.Spec
			a := spec.Affinity
			switch tc.want {
			case "":
				if a != nil {
					t.Errorf("affinity %+v, want none", a)
				}
			case "custom":
				if a == nil || a.NodeAffinity == nil || a.PodAntiAffinity != nil {
					t.Errorf("affinity %+v, want the operator's node affinity only", a)
				}
			case "preferred":
				if a == nil || a.PodAntiAffinity == nil || len(a.PodAntiAffinity.PreferredDuringSchedulingIgnoredDuringExecution) != 1 {
					t.Fatalf("affinity %+v, want one preferred anti-affinity term", a)
				}
				checkHostTerm(t, rel, a.PodAntiAffinity.PreferredDuringSchedulingIgnoredDuringExecution[0].PodAffinityTerm)
			case "required":
				if a == nil || a.PodAntiAffinity == nil || len(a.PodAntiAffinity.RequiredDuringSchedulingIgnoredDuringExecution) != 1 {
					t.Fatalf("affinity %+v, want one required anti-affinity term", a)
				}
				checkHostTerm(t, rel, a.PodAntiAffinity.RequiredDuringSchedulingIgnoredDuringExecution[0])
			}
		})
	}
	if _, err := runHelm(t, templateArgs([]string{"postgres.yaml"}, []string{"podAntiAffinity=sometimes"})...); err == nil ||
		!strings.Contains(err.Error(), "podAntiAffinity must be preferred, required or none") {
		t.Errorf("podAntiAffinity=sometimes rendered (err %v)", err)
	}
}

func checkHostTerm(t *testing.T, rel *release, term corev1.PodAffinityTerm) {
	t.Helper()
	if term.TopologyKey != "kubernetes.io/hostname" {
		t.Errorf("topologyKey %q, want kubernetes.io/hostname", term.TopologyKey)
	}
	if term.LabelSelector == nil || !isSubset(term.LabelSelector.MatchLabels, rel.Deployment.Spec.Template.Labels) ||
		len(term.LabelSelector.MatchLabels) == 0 {
		t.Errorf("term selects %v, not the release's pods %v", term.LabelSelector, rel.Deployment.Spec.Template.Labels)
	}
}

// TestChartKubeScoreIgnores: the Deployment tells kube-score which of its
// findings the chart disagrees with, and only those: Recreate and one
// replica on SQLite, and the pull policy unless it is Always.
func TestChartKubeScoreIgnores(t *testing.T) {
	cases := []struct {
		name        string
		files, sets []string
		want        string
	}{
		{name: "SQLite", want: "container-image-pull-policy,deployment-strategy,deployment-replicas"},
		{name: "SQLite, pull Always", sets: []string{"image.pullPolicy=Always"}, want: "deployment-strategy,deployment-replicas"},
		{name: "PostgreSQL", files: []string{"postgres.yaml"}, want: "container-image-pull-policy"},
		{name: "PostgreSQL, pull Always", files: []string{"postgres.yaml"}, sets: []string{"image.pullPolicy=Always"}, want: ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rel := render(t, tc.files, tc.sets)
			got, ok := rel.Deployment.Annotations["kube-score/ignore"]
			if got != tc.want || ok != (tc.want != "") {
				t.Errorf("kube-score/ignore = %q (set: %v), want %q", got, ok, tc.want)
			}
		})
	}
}
