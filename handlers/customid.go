package handlers

import (
	"strings"
)

// Custom-id prefixes of the lobby's components and modals. Every custom id
// is built and parsed here, and nowhere else.
const (
	idAdd       = "add"       // add:<session>           select of resource types
	idRemove    = "rm"        // rm:<session>            select of resource names
	idApprove   = "approve"   // approve:<session>
	idReplan    = "replan"    // replan:<session>
	idShowPlan  = "show"      // show:<session>
	idCancel    = "cancel"    // cancel:<session>
	idResource  = "resource"  // resource:<session>:<type> modal
	idChange    = "change"    // change:<session>         select of resource names (update sessions)
	idEdit      = "edit"      // edit:<session>:<name>    modal changing a resource
	idRollback  = "rollback"  // rollback:<deployment>    select of revisions (/cloud-history)
	idReconcile = "reconcile" // reconcile:<deployment> button of a drift notice

	idExtend     = "extend"     // extend:<deployment>      reminder button
	idDestroyNow = "destroynow" // destroynow:<deployment>  reminder button
)

// customID joins a prefix and its arguments.
func customID(prefix string, args ...string) string {
	return strings.Join(append([]string{prefix}, args...), ":")
}

// parseCustomID splits a custom id into its prefix and arguments; ok is
// false for ids that are not ours or have the wrong number of arguments.
func parseCustomID(id string) (prefix string, args []string, ok bool) {
	if len(id) == 0 || len(id) > 100 {
		return "", nil, false
	}
	parts := strings.Split(id, ":")
	prefix, args = parts[0], parts[1:]
	want := map[string]int{idAdd: 1, idRemove: 1, idApprove: 1, idReplan: 1, idShowPlan: 1, idCancel: 1, idResource: 2,
		idChange: 1, idEdit: 2, idRollback: 1, idReconcile: 1, idExtend: 1, idDestroyNow: 1}
	n, known := want[prefix]
	if !known || len(args) != n {
		return "", nil, false
	}
	for _, a := range args {
		if a == "" {
			return "", nil, false
		}
	}
	return prefix, args, true
}
