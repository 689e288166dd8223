package tf

import "github.com/cloudengine/cloud-engine/deploy"

// paramNetwork names the network a compute_vm or sql_database goes into:
// defaultNetwork for the provider's default network, or the name of a
// network resource of the same session, which terraform then creates first.
const (
	paramNetwork   = "network"
	defaultNetwork = "default"
)

func networkParam() param {
	return param{id: paramNetwork, label: "Network (default, or a network's name)", def: defaultNetwork, maxLen: nameMaxLen,
		check: func(_ target, v string) error {
			if v != defaultNetwork && checkBaseName(v) != nil {
				return deploy.Errorf(deploy.EINVALID, "Invalid network %q: use default or the name of a network resource of this deployment.", v)
			}
			return nil
		}}
}

// notDefaultRule keeps a network resource from taking the name that means
// the provider's default network (in gcp it is that network's very name).
func notDefaultRule() nameRule {
	return nameRule{
		ok:   func(name string) bool { return name != defaultNetwork },
		rule: `a network must not be named "default": that name means the provider's default network.`,
	}
}

// checkNetworks is the session-level rule the catalog cannot check one
// resource at a time: a named network is a network resource of the same
// session, in the same region as what goes into it.
func checkNetworks(rs []deploy.Resource) error {
	networks := map[string]deploy.Resource{}
	for _, r := range rs {
		if r.Type == typeNetwork {
			networks[r.Name] = r
		}
	}
	for _, r := range rs {
		n := r.Params[paramNetwork]
		if n == "" || n == defaultNetwork {
			continue
		}
		net, ok := networks[n]
		if !ok {
			return deploy.Errorf(deploy.EINVALID, "Invalid network %q for %s: this deployment has no network resource named %s; add one or use default.", n, r.Name, n)
		}
		if net.Params[paramRegion] != r.Params[paramRegion] {
			return deploy.Errorf(deploy.EINVALID, "Invalid network %q for %s: %s is in %s and %s in %s; a resource must be in its network's region.",
				n, r.Name, n, net.Params[paramRegion], r.Name, r.Params[paramRegion])
		}
	}
	return nil
}

// namedNetwork returns the session network r goes into, if it names one.
func namedNetwork(r deploy.Resource) (string, bool) {
	n := r.Params[paramNetwork]
	return n, n != "" && n != defaultNetwork
}

// withNetwork returns r alone, or r and the network resource it goes
// into: the least a configuration needs to generate r.
func withNetwork(r deploy.Resource, all []deploy.Resource) []deploy.Resource {
	out := []deploy.Resource{r}
	n, ok := namedNetwork(r)
	if !ok {
		return out
	}
	for _, o := range all {
		if o.Type == typeNetwork && o.Name == n {
			return append(out, o)
		}
	}
	return out
}

// checkSession applies the session-level rules: the networks', then the
// provider's own.
func (c *Catalog) checkSession(provider string, rs []deploy.Resource) error {
	if err := checkNetworks(rs); err != nil {
		return err
	}
	if p, err := c.provider(provider); err == nil && p.checkSession != nil {
		return p.checkSession(rs)
	}
	return nil
}
