package deploy

import (
	"reflect"
	"testing"
)

func res(names ...string) []Resource {
	var out []Resource
	for _, n := range names {
		out = append(out, Resource{Type: "compute_vm", Name: n, Params: map[string]string{"from": "x"}})
	}
	return out
}

func names(rs []Resource) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.Name)
	}
	return out
}

func TestAdditions(t *testing.T) {
	cases := []struct {
		name              string
		session, deployed []Resource
		want              []string
	}{
		{"unchanged", res("web", "db"), res("web", "db"), nil},
		{"one added", res("web", "api"), res("web"), []string{"api"}},
		{"removed only", res(), res("web"), nil},
		{"new deployment", res("web"), nil, []string{"web"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := names(Additions(c.session, c.deployed)); !reflect.DeepEqual(got, c.want) {
				t.Fatalf("Additions = %v, want %v", got, c.want)
			}
		})
	}
}

// TestKeptResources: after an apply that did not finish, the deployment
// holds what the state holds, described as the session had it or, for
// resources the session removed, as they were.
func TestKeptResources(t *testing.T) {
	changed := res("web")
	changed[0].Params = map[string]string{"size": "large"}
	cases := []struct {
		name            string
		inState         []string
		session, before []Resource
		want            []Resource
	}{
		{"first deploy failed part-way", []string{"db"}, res("web", "db"), nil, res("db")},
		{"removal not done", []string{"web", "db"}, res("db"), res("web", "db"), append(res("db"), res("web")...)},
		{"change kept the session's description", []string{"web"}, changed, res("web"), changed},
		{"nothing left", nil, res("web"), res("web"), nil},
		{"destroy part-way", []string{"db"}, res("web", "db"), res("web", "db"), res("db")},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := keptResources(c.inState, c.session, c.before); !reflect.DeepEqual(got, c.want) {
				t.Fatalf("kept %+v, want %+v", got, c.want)
			}
		})
	}
}
