package tf

import (
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"

	"github.com/cloudengine/cloud-engine/deploy"
)

// Parameter ids as they appear in modals and in deploy.Resource.Params.
const (
	paramName       = "name"
	paramSize       = "size"
	paramRegion     = "region"
	paramDiskGB     = "disk_gb"
	paramVersioning = "versioning"
	paramCIDR       = "cidr"
)

// param is one modal input besides the name. def is the default, except for
// region whose default is the session's region.
type param struct {
	id     string
	label  string
	def    string
	maxLen int
	check  func(t target, value string) error
	// choices lists the values offered when the parameter is a choice
	// (sizes, regions, on/off); nil for free text. The schema test
	// generates a configuration for every one of them.
	choices func(t target) []string
	// forProvider, when set, gives the label and default for a provider
	// whose limits differ (an image that needs a bigger disk).
	forProvider func(p providerSpec) (label, def string)
}

// labelAndDefault is what the modal shows for the parameter; region
// defaults to the session's region.
func (prm param) labelAndDefault(p providerSpec, region string) (string, string) {
	switch {
	case prm.id == paramRegion:
		return prm.label, region
	case prm.forProvider != nil:
		return prm.forProvider(p)
	}
	return prm.label, prm.def
}

func sizeParam() param {
	return param{id: paramSize, label: "Size (small, medium or large)", def: sizeSmall, maxLen: 10,
		check: func(t target, v string) error {
			if _, ok := t.on.skus[v]; ok {
				return nil
			}
			return deploy.Errorf(deploy.EINVALID, "Invalid size %q: use small, medium or large.", v)
		},
		choices: func(t target) []string {
			var out []string
			for _, s := range []string{sizeSmall, sizeMedium, sizeLarge} {
				if _, ok := t.on.skus[s]; ok {
					out = append(out, s)
				}
			}
			return out
		}}
}

func regionParam() param {
	return param{id: paramRegion, label: "Region", maxLen: 30,
		check:   func(t target, v string) error { return checkRegion(t.p, v) },
		choices: func(t target) []string { return t.p.regions }}
}

func checkRegion(p providerSpec, region string) error {
	if slices.Contains(p.regions, region) {
		return nil
	}
	return deploy.Errorf(deploy.EINVALID, "Invalid region %q: %s regions are %s.", region, p.id, strings.Join(p.regions, ", "))
}

// Disk limits keep a typo from ordering terabytes.
const (
	diskMinGB = 10
	diskMaxGB = 500
)

// diskDefaultGB is the default disk of a VM where the image allows it.
const diskDefaultGB = 20

// diskMin is the smallest disk the provider's VM image boots from: a disk
// smaller than its image is refused when the VM is created.
func (p providerSpec) diskMin() int { return max(diskMinGB, p.imageDiskGB) }

// diskDefault is the provider's default disk size, as a modal value.
func (p providerSpec) diskDefault() string { return strconv.Itoa(max(diskDefaultGB, p.diskMin())) }

func diskParam() param {
	return param{id: paramDiskGB, maxLen: 3,
		forProvider: func(p providerSpec) (string, string) {
			return fmt.Sprintf("Disk size in GB (%d–%d)", p.diskMin(), diskMaxGB), p.diskDefault()
		},
		check: func(t target, v string) error {
			n, err := strconv.Atoi(v)
			if err != nil || n < t.p.diskMin() || n > diskMaxGB || strconv.Itoa(n) != v {
				return deploy.Errorf(deploy.EINVALID, "Invalid disk_gb %q: use a whole number of GB from %d to %d.", v, t.p.diskMin(), diskMaxGB)
			}
			return nil
		}}
}

func versioningParam() param {
	return param{id: paramVersioning, label: "Versioning (on or off)", def: "off", maxLen: 3,
		check: func(_ target, v string) error {
			if v == "on" || v == "off" {
				return nil
			}
			return deploy.Errorf(deploy.EINVALID, "Invalid versioning %q: use on or off.", v)
		},
		choices: func(target) []string { return []string{"on", "off"} }}
}

func cidrParam() param {
	return param{id: paramCIDR, label: "Address range (CIDR)", def: "10.0.0.0/16", maxLen: 18,
		check: func(_ target, v string) error { return checkCIDR(v) }}
}

var privateRanges = []netip.Prefix{
	netip.MustParsePrefix("10.0.0.0/8"),
	netip.MustParsePrefix("172.16.0.0/12"),
	netip.MustParsePrefix("192.168.0.0/16"),
}

// checkCIDR accepts a private IPv4 range from /16 to /24 written in its
// canonical form, which every provider's network accepts.
func checkCIDR(v string) error {
	const rule = "use a private IPv4 range (10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16) from /16 to /24, such as 10.0.0.0/16."
	pfx, err := netip.ParsePrefix(v)
	if err != nil || !pfx.Addr().Is4() || pfx.Bits() < 16 || pfx.Bits() > 24 || pfx.Masked() != pfx || pfx.String() != v {
		return deploy.Errorf(deploy.EINVALID, "Invalid cidr %q: %s", v, rule)
	}
	for _, r := range privateRanges {
		if r.Contains(pfx.Addr()) && r.Bits() <= pfx.Bits() {
			return nil
		}
	}
	return deploy.Errorf(deploy.EINVALID, "Invalid cidr %q: %s", v, rule)
}
