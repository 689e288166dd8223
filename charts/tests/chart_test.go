package charttest

import (
	"strings"
	"testing"

	appsv1 "k8s.io/api/apps/v1"
)

// want is what one rendering of the chart must hold.
type want struct {
	replicas       int32
	strategy       appsv1.DeploymentStrategyType
	postgres       bool   // DATABASE_URL comes from the Secret
	claim          string // PVC behind /data; empty means an emptyDir
	pvcObject      bool   // the chart renders the PVC itself
	secretName     string
	chartSecret    bool // the chart renders the Secret
	graceSeconds   int64
	ingressHost    string
	serviceMonitor bool
	prometheusRule bool
	pdb            bool
}

func TestChartRenders(t *testing.T) {
	cases := []struct {
		name  string
		files []string
		sets  []string
		want  want
	}{
		{
			name: "defaults: SQLite on a PVC",
			want: want{replicas: 1, strategy: appsv1.RecreateDeploymentStrategyType,
				claim: fullname + "-data", pvcObject: true, secretName: fullname, chartSecret: true, graceSeconds: 930},
		},
		{
			name:  "SQLite with inline credentials",
			files: []string{"sqlite.yaml"},
			want: want{replicas: 1, strategy: appsv1.RecreateDeploymentStrategyType,
				claim: fullname + "-data", pvcObject: true, secretName: fullname, chartSecret: true, graceSeconds: 6030},
		},
		{
			name: "SQLite on an existing claim",
			sets: []string{"persistence.existingClaim=engine-data", "config.shutdownGrace=90s"},
			want: want{replicas: 1, strategy: appsv1.RecreateDeploymentStrategyType,
				claim: "engine-data", secretName: fullname, chartSecret: true, graceSeconds: 720},
		},
		{
			name: "SQLite with a grace counted in days",
			sets: []string{"config.shutdownGrace=1d2h"},
			want: want{replicas: 1, strategy: appsv1.RecreateDeploymentStrategyType,
				claim: fullname + "-data", pvcObject: true, secretName: fullname, chartSecret: true, graceSeconds: 94230},
		},
		{
			name: "SQLite without persistence",
			sets: []string{"persistence.enabled=false", "config.shutdownGrace=1500ms", "config.interruptGrace=90s", "terminationGraceMarginSeconds=5"},
			want: want{replicas: 1, strategy: appsv1.RecreateDeploymentStrategyType,
				secretName: fullname, chartSecret: true, graceSeconds: 97},
		},
		{
			name:  "PostgreSQL with ingress, monitoring and PDB",
			files: []string{"postgres.yaml"},
			want: want{replicas: 3, strategy: appsv1.RollingUpdateDeploymentStrategyType, postgres: true,
				secretName: fullname, chartSecret: true, graceSeconds: 1230,
				ingressHost: "cloud-engine.chart-test.example", serviceMonitor: true, prometheusRule: true, pdb: true},
		},
		{
			name:  "PostgreSQL from an existing Secret",
			files: []string{"existing-secret.yaml"},
			want: want{replicas: 2, strategy: appsv1.RollingUpdateDeploymentStrategyType, postgres: true,
				secretName: "cloud-engine-credentials", graceSeconds: 930},
		},
		{
			name: "existing Secret without a database stays on SQLite",
			sets: []string{"existingSecret=discord-only"},
			want: want{replicas: 1, strategy: appsv1.RecreateDeploymentStrategyType,
				claim: fullname + "-data", pvcObject: true, secretName: "discord-only", graceSeconds: 930},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out, err := runHelm(t, templateArgs(tc.files, tc.sets)...)
			if err != nil {
				t.Fatalf("helm template: %v", err)
			}
			rel, err := decodeRelease(out)
			if err != nil {
				t.Fatal(err)
			}
			checkRelease(t, rel, tc.want)
		})
	}
}

func checkRelease(t *testing.T, rel *release, w want) {
	t.Helper()
	if rel.Deployment == nil || rel.ConfigMap == nil || rel.Service == nil {
		t.Fatalf("missing core objects: deployment=%v configmap=%v service=%v",
			rel.Deployment != nil, rel.ConfigMap != nil, rel.Service != nil)
	}
	checkTopology(t, rel, w)
	checkProbesAndPorts(t, rel)
	checkSecretRefs(t, rel, w)
	checkConfigMapHoldsNoSecret(t, rel)
	checkSecurity(t, rel)
	checkGrace(t, rel, w.graceSeconds)
	checkOptional(t, rel, w)
}

func TestChartRefusesUnsafeValues(t *testing.T) {
	cases := []struct {
		name    string
		files   []string
		sets    []string
		message string
	}{
		{"several replicas on SQLite", nil, []string{"replicaCount=3"}, "SQLite has a single writer"},
		{"several replicas with an existing Secret but no database", nil,
			[]string{"replicaCount=2", "existingSecret=creds"}, "SQLite has a single writer"},
		{"zero replicas", []string{"postgres.yaml"}, []string{"replicaCount=0"}, "replicaCount must be at least 1"},
		{"shutdown grace that is not a duration", nil, []string{"config.shutdownGrace=5 minutes"}, "is not a duration"},
		{"interrupt grace that is not a duration", nil, []string{"config.interruptGrace=ten minutes"}, "config.interruptGrace \"ten minutes\" is not a duration"},
		{"no grace margin", nil, []string{"terminationGraceMarginSeconds=0"}, "must outlast SHUTDOWN_GRACE"},
		{"database URL flag without the Secret", nil, []string{"database.existingSecretHasUrl=true"}, "needs existingSecret"},
		{"database URL that is not PostgreSQL", nil, []string{"database.url=mysql://db/engine"}, "must start with postgres://"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out, err := runHelm(t, templateArgs(tc.files, tc.sets)...)
			if err == nil {
				t.Fatalf("helm template succeeded, want a failure naming %q; rendered %d bytes", tc.message, len(out))
			}
			if !strings.Contains(err.Error(), tc.message) {
				t.Fatalf("helm template error = %v, want it to contain %q", err, tc.message)
			}
		})
	}
}

func TestChartLintsStrictly(t *testing.T) {
	cases := []struct {
		name  string
		files []string
	}{
		{"defaults", nil},
		{"sqlite", []string{"sqlite.yaml"}},
		{"postgres", []string{"postgres.yaml"}},
		{"existing secret", []string{"existing-secret.yaml"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			args := []string{"lint", "--strict", chartDir}
			for _, f := range tc.files {
				args = append(args, "--values", "testdata/"+f)
			}
			if out, err := runHelm(t, args...); err != nil {
				t.Fatalf("helm lint --strict: %v\n%s", err, out)
			}
		})
	}
}
