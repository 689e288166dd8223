// Package handlers turns Discord interactions into calls of the core
// service and renders the answers: one file per command or component.
package handlers

import (
	"log/slog"
	"time"

	"github.com/cloudengine/cloud-engine/deploy"
)

// Command names of SPEC §2.
const (
	cmdDeploy        = "cloud-deploy"
	cmdDestroy       = "cloud-destroy"
	cmdList          = "cloud-list"
	cmdQuota         = "cloud-quota"
	cmdProjects      = "cloud-projects"
	cmdCancel        = "cloud-cancel"
	cmdGrant         = "cloud-grant"
	cmdRevoke        = "cloud-revoke"
	cmdCreateProject = "cloud-create-project"
	cmdSetQuota      = "cloud-set-quota"
	cmdAdminList     = "cloud-admin-list"
	cmdAdminCancel   = "cloud-admin-cancel"
	cmdStats         = "cloud-stats"
	cmdUpdate        = "cloud-update"
	cmdHistory       = "cloud-history"
	cmdDrift         = "cloud-drift"
	cmdExtend        = "cloud-extend"
)

// New returns the interactions handler.
func New(svc *deploy.Service, jobs *deploy.Jobs, d Discord, log *slog.Logger, m *Metrics, now func() time.Time) *Handler {
	if now == nil {
		now = time.Now
	}
	h := &Handler{svc: svc, jobs: jobs, discord: d, log: log, metrics: m, now: now}
	h.r = router{
		commands: map[string]Func{
			cmdDeploy:        h.deploy,
			cmdDestroy:       h.destroy,
			cmdList:          h.list,
			cmdQuota:         h.quota,
			cmdProjects:      h.projects,
			cmdCancel:        h.cancel,
			cmdGrant:         h.grant,
			cmdRevoke:        h.revoke,
			cmdCreateProject: h.createProject,
			cmdSetQuota:      h.setQuota,
			cmdAdminList:     h.adminList,
			cmdAdminCancel:   h.adminCancel,
			cmdStats:         h.stats,
			cmdUpdate:        h.update,
			cmdHistory:       h.history,
			cmdDrift:         h.drift,
			cmdExtend:        h.extend,
		},
		autocomplete: map[string]Func{},
		components: map[string]Func{
			idAdd:       h.addSelected,
			idRemove:    h.removeSelected,
			idApprove:   h.approve,
			idReplan:    h.replan,
			idShowPlan:  h.showPlan,
			idCancel:    h.cancelButton,
			idChange:    h.changeSelected,
			idRollback:  h.rollbackSelected,
			idReconcile: h.reconcile,

			idExtend:     h.extendClicked,
			idDestroyNow: h.destroyNowClicked,
		},
		modals: map[string]Func{
			idResource: h.resourceSubmitted,
			idEdit:     h.changeSubmitted,
		},
	}
	for _, c := range []string{cmdDeploy, cmdDestroy, cmdQuota, cmdCancel, cmdGrant, cmdRevoke, cmdSetQuota, cmdAdminList, cmdAdminCancel, cmdStats, cmdUpdate, cmdHistory, cmdDrift} {
		h.r.autocomplete[c] = h.autocomplete
	}
	h.r.autocomplete[cmdExtend] = h.autocomplete
	return h
}
