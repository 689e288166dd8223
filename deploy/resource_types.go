package deploy

import (
	"slices"
	"strings"
)

// The resource types come from the catalog: the rules need no type of
// their own, only to know which ids exist (quotas are kept per id).

// resourceTypeIDs lists the catalog's type ids in the order users read them.
func (s *Service) resourceTypeIDs() []string {
	types := s.tf.ResourceTypes()
	ids := make([]string, len(types))
	for i, t := range types {
		ids[i] = t.ID
	}
	return ids
}

func (s *Service) isResourceType(id string) bool {
	return slices.Contains(s.resourceTypeIDs(), id)
}

// orList writes "a, b, c or d".
func orList(items []string) string {
	if len(items) < 2 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " or " + items[len(items)-1]
}
