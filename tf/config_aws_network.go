package tf

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/cloudengine/cloud-engine/deploy"
)

// An aws VM or database goes into a subnet: of the region's default VPC,
// looked up in the plan, or of a VPC of the session, which then gets one
// subnet in each of two availability zones (RDS needs two).

type awsVPC struct {
	Region             string            `json:"region"`
	CIDRBlock          string            `json:"cidr_block"`
	EnableDNSSupport   bool              `json:"enable_dns_support"`
	EnableDNSHostnames bool              `json:"enable_dns_hostnames"`
	Tags               map[string]string `json:"tags"`
}

type awsVPCLookup struct {
	Region    string       `json:"region"`
	Filter    []awsFilter  `json:"filter"`
	Lifecycle awsLifecycle `json:"lifecycle"`
}

type awsLifecycle struct {
	Postcondition []awsCondition `json:"postcondition"`
}

type awsCondition struct {
	Condition    string `json:"condition"`
	ErrorMessage string `json:"error_message"`
}

type awsSubnetLookup struct {
	Region string      `json:"region"`
	Filter []awsFilter `json:"filter"`
}

type awsZones struct {
	Region         string   `json:"region"`
	State          string   `json:"state"`
	ExcludeZoneIDs []string `json:"exclude_zone_ids,omitempty"`
}

// awsZonesWithoutVMs are the zones, by stable zone id, of a catalog region
// that do not offer the catalog's VM types: us-east-1's legacy use1-az3
// (named us-east-1e in many accounts) has no t3, and RunInstances there
// fails with "instance type is not supported in your requested
// Availability Zone". Zone names map to ids per account, so only ids tell.
func awsZonesWithoutVMs(region string) []string {
	if region == "us-east-1" {
		return []string{"use1-az3"}
	}
	return nil
}

type awsSubnet struct {
	Region           string            `json:"region"`
	VPCID            string            `json:"vpc_id"`
	CIDRBlock        string            `json:"cidr_block"`
	AvailabilityZone string            `json:"availability_zone"`
	Tags             map[string]string `json:"tags"`
}

type awsDBSubnetGroup struct {
	Region    string            `json:"region"`
	Name      string            `json:"name"`
	SubnetIDs any               `json:"subnet_ids"` // a list, or a reference to one
	Tags      map[string]string `json:"tags"`
}

// awsHasVPC is the condition on the default VPC lookup; the plan fails
// with the lookup's error message when the region has none.
const awsHasVPC = "${length(self.ids) > 0}"

// awsSubnetSuffixes name a session VPC's two subnets, one per zone.
var awsSubnetSuffixes = []string{"-a", "-b"}

func regionKey(region string) string { return strings.ReplaceAll(region, "-", "_") }

// awsDefaultVPC looks up the region's default VPC, failing the plan where
// there is none, and returns the reference to its id.
func awsDefaultVPC(b *configBuilder, region string) string {
	key := "default_" + regionKey(region)
	b.data("aws_vpcs", key, awsVPCLookup{Region: region,
		Filter: []awsFilter{{Name: "is-default", Values: []string{"true"}}},
		Lifecycle: awsLifecycle{Postcondition: []awsCondition{{Condition: awsHasVPC,
			ErrorMessage: fmt.Sprintf("There is no default VPC in %s: add a network resource to this deployment and name it in the network parameter.", region)}}}})
	return "${data.aws_vpcs." + key + ".ids[0]}"
}

// awsDefaultSubnets looks up the default subnets of the region's default
// VPC and returns the reference to their ids.
func awsDefaultSubnets(b *configBuilder, region string) string {
	key := "default_" + regionKey(region)
	b.data("aws_subnets", key, awsSubnetLookup{Region: region, Filter: []awsFilter{
		{Name: "vpc-id", Values: []string{awsDefaultVPC(b, region)}},
		{Name: "default-for-az", Values: []string{"true"}},
	}})
	return "data.aws_subnets." + key + ".ids"
}

// awsSubnetIDs returns the subnets r goes into: the default VPC's (a
// reference to a list) or its session VPC's two (a list of references).
func awsSubnetIDs(b *configBuilder, r deploy.Resource) any {
	if n, ok := namedNetwork(r); ok {
		ids := make([]string, 0, len(awsSubnetSuffixes))
		for _, sfx := range awsSubnetSuffixes {
			ids = append(ids, ref("aws_subnet", n+sfx, "id"))
		}
		return ids
	}
	return "${" + awsDefaultSubnets(b, r.Params[paramRegion]) + "}"
}

// awsFirstSubnet is where a VM goes: the first subnet of its network in a
// zone that offers its type.
func awsFirstSubnet(b *configBuilder, r deploy.Resource) string {
	region := r.Params[paramRegion]
	without := awsZonesWithoutVMs(region)
	if n, ok := namedNetwork(r); ok {
		first, second := address("aws_subnet", n+awsSubnetSuffixes[0], "id"), address("aws_subnet", n+awsSubnetSuffixes[1], "id")
		if len(without) == 0 {
			return "${" + first + "}"
		}
		// the second subnet when the first one's zone offers no VM: the
		// two zones differ, so one of them does
		return fmt.Sprintf("${contains(%s, data.aws_availability_zones.%s.zone_ids[0]) ? %s : %s}",
			hclList(without), regionKey(region), second, first)
	}
	// sorted, because the lookup's order is not stable and a changed
	// subnet_id replaces the instance
	if len(without) == 0 {
		return "${sort(" + awsDefaultSubnets(b, region) + ")[0]}"
	}
	return "${sort(" + awsDefaultVMSubnets(b, region, without) + ")[0]}"
}

// awsDefaultVMSubnets looks up the default subnets of the region's default
// VPC in the zones that offer VMs. A database keeps awsDefaultSubnets: RDS
// picks a zone of its subnet group itself. Leaving zones out of the VM's
// lookup moves no VM that had a subnet: the smallest id stays the
// smallest unless it was in a zone left out, where the VM never started.
func awsDefaultVMSubnets(b *configBuilder, region string, without []string) string {
	key := "vm_" + regionKey(region)
	b.data("aws_availability_zones", key, awsZones{Region: region, State: "available", ExcludeZoneIDs: without})
	b.data("aws_subnets", key, awsSubnetLookup{Region: region, Filter: []awsFilter{
		{Name: "vpc-id", Values: []string{awsDefaultVPC(b, region)}},
		{Name: "default-for-az", Values: []string{"true"}},
		{Name: "availability-zone", Values: "${data.aws_availability_zones." + key + ".names}"},
	}})
	return "data.aws_subnets." + key + ".ids"
}

// hclList writes validated identifiers as an HCL list of strings.
func hclList(items []string) string {
	return `["` + strings.Join(items, `", "`) + `"]`
}

// awsNetworkBlocks is a session VPC with a subnet in each of two zones,
// splitting its range in halves.
func awsNetworkBlocks(b *configBuilder, r deploy.Resource) error {
	region, tags := r.Params[paramRegion], map[string]string{"Name": r.Name}
	if err := b.resource("aws_vpc", r.Name, awsVPC{Region: region, CIDRBlock: r.Params[paramCIDR],
		EnableDNSSupport: true, EnableDNSHostnames: true, Tags: tags}); err != nil {
		return err
	}
	halves, err := splitCIDR(r.Params[paramCIDR])
	if err != nil {
		return err
	}
	zones := "aws_availability_zones." + regionKey(region)
	b.data("aws_availability_zones", regionKey(region), awsZones{Region: region, State: "available"})
	for i, sfx := range awsSubnetSuffixes {
		if err := b.resource("aws_subnet", r.Name+sfx, awsSubnet{Region: region, VPCID: ref("aws_vpc", r.Name, "id"),
			CIDRBlock: halves[i], AvailabilityZone: fmt.Sprintf("${data.%s.names[%d]}", zones, i),
			Tags: map[string]string{"Name": r.Name + sfx}}); err != nil {
			return err
		}
	}
	return nil
}

// splitCIDR halves a validated range: 10.0.0.0/16 → 10.0.0.0/17, 10.0.128.0/17.
func splitCIDR(cidr string) ([2]string, error) {
	pfx, err := netip.ParsePrefix(cidr)
	if err != nil {
		return [2]string{}, fmt.Errorf("split %s: %w", cidr, err)
	}
	bits := pfx.Bits() + 1
	first := netip.PrefixFrom(pfx.Addr(), bits)
	a := pfx.Addr().As4()
	a[(bits-1)/8] |= 1 << (7 - uint((bits-1)%8))
	second := netip.PrefixFrom(netip.AddrFrom4(a), bits)
	return [2]string{first.String(), second.String()}, nil
}

// awsDBSubnetGroupFor gives a database a subnet group of its network and
// returns the reference to its name.
func awsDBSubnetGroupFor(b *configBuilder, r deploy.Resource) (string, error) {
	// never the bare name: a database named "default" would ask for the
	// name RDS reserves for the default VPC's group
	err := b.resource("aws_db_subnet_group", r.Name, awsDBSubnetGroup{Region: r.Params[paramRegion], Name: r.Name + "-subnets",
		SubnetIDs: awsSubnetIDs(b, r), Tags: map[string]string{"Name": r.Name}})
	return ref("aws_db_subnet_group", r.Name, "name"), err
}
