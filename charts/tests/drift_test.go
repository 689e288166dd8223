package charttest

import "testing"

// TestChartRendersDriftInterval: config.driftInterval reaches the engine
// as DRIFT_INTERVAL, off ("0") unless the operator sets it.
func TestChartRendersDriftInterval(t *testing.T) {
	cases := []struct {
		name  string
		files []string
		want  string
	}{
		{"defaults: scheduled checks off", nil, "0"},
		{"values file", []string{"postgres.yaml"}, "6h"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			out, err := runHelm(t, templateArgs(tc.files, nil)...)
			if err != nil {
				t.Fatalf("helm template: %v", err)
			}
			rel, err := decodeRelease(out)
			if err != nil {
				t.Fatal(err)
			}
			if got := rel.ConfigMap.Data["DRIFT_INTERVAL"]; got != tc.want {
				t.Errorf("DRIFT_INTERVAL = %q, want %q", got, tc.want)
			}
		})
	}
}
