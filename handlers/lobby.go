package handlers

import (
	"fmt"
	"strings"

	"github.com/disgoorg/disgo/discord"

	"github.com/cloudengine/cloud-engine/deploy"
)

// Embed colours by how a session is doing.
const (
	colorNeutral = 0x5865F2
	colorRunning = 0xFEE75C
	colorGood    = 0x57F287
	colorBad     = 0xED4245
	colorGrey    = 0x99AAB5
)

func stateColor(s deploy.State) int {
	switch s {
	case deploy.StatePlanning, deploy.StateApproved, deploy.StateApplying:
		return colorRunning
	case deploy.StatePlanned, deploy.StateApplied:
		return colorGood
	case deploy.StatePlanFailed, deploy.StateFailed:
		return colorBad
	case deploy.StateCancelled, deploy.StateExpired:
		return colorGrey
	}
	return colorNeutral
}

// maxLobbyText bounds the lobby's description and footer: with its five
// long fields (resources, plan, cost, approvals, error) at their 1024-character
// limit, the embed must still fit Discord's 6000 characters for all embeds.
const maxLobbyText = 300

// renderLobby is the lobby message: its embed and, until the session
// ends, its components. It is a pure function of the view.
func renderLobby(v deploy.LobbyView) discord.MessageUpdate {
	e := lobbyEmbed(v)
	u := discord.NewMessageUpdate().WithContent("").WithEmbeds(e).WithAllowedMentions(noMentions())
	if v.Session.State.Final() {
		return u.ClearComponents()
	}
	return u.WithComponents(lobbyComponents(v)...)
}

func lobbyEmbed(v deploy.LobbyView) discord.Embed {
	s, p := v.Session, v.Project
	e := discord.NewEmbed().WithTitle(clip(lobbyTitle(s), maxEmbedTitle)).WithColor(stateColor(s.State))
	if d := lobbyDescription(s, p); d != "" {
		e = e.WithDescription(clip(d, maxLobbyText))
	}
	e = e.AddField("Project", s.ProjectID, true).
		AddField("Provider", s.Provider, true).
		AddField("Region", s.Region, true).
		AddField("Owner", "<@"+s.OwnerID+">", true).
		AddField("Session", s.ID, true).
		AddField("State", string(s.State), true)
	e = e.AddField("Resources", clip(resourceList(s), maxFieldValue), false)
	if s.Plan != nil {
		e = e.AddField("Plan", clip(planField(s.Plan), maxFieldValue), false)
		if s.Plan.Cost != "" {
			e = e.AddField("Cost", clip(costField(s.Plan), maxFieldValue), false)
		}
	}
	if p.Approvals > 0 {
		e = e.AddField("Approvals", clip(approvalsField(s, p), maxFieldValue), false)
	}
	if name, value := expiryField(s); name != "" {
		e = e.AddField(name, value, false)
	}
	if s.Error != "" {
		e = e.AddField(errorTitle(s.State), clip(s.Error, maxFieldValue), false)
	}
	if note := lobbyNote(v); note != "" {
		e = e.WithFooterText(clip(note, maxLobbyText))
	}
	return e
}

func lobbyTitle(s *deploy.Session) string {
	switch s.Kind {
	case deploy.KindDestroy:
		return "Destroy " + s.TargetID + " in " + s.ProjectID
	case deploy.KindUpdate:
		return "Update " + s.TargetID + " in " + s.ProjectID
	}
	return "Deployment of " + s.ProjectID
}

// lobbyDescription says which revision a rollback restores, above the
// project's description.
func lobbyDescription(s *deploy.Session, p *deploy.Project) string {
	var lines []string
	if s.Restores > 0 {
		lines = append(lines, fmt.Sprintf("Rolls back to r%d", s.Restores))
	}
	if p.Description != "" {
		lines = append(lines, p.Description)
	}
	return strings.Join(lines, "\n")
}

func errorTitle(s deploy.State) string {
	if s == deploy.StateCancelled || s == deploy.StateExpired {
		return "Note"
	}
	return "Error"
}

func lobbyNote(v deploy.LobbyView) string {
	switch {
	case v.Queued:
		return "Waiting for a free terraform slot: queued behind other runs."
	case v.Notice != "":
		return v.Notice
	case v.Session.State == deploy.StateExpired:
		return "This deployment session has expired."
	case v.Session.State == deploy.StatePlanning:
		return "Planning…"
	case v.Session.State == deploy.StateApplying, v.Session.State == deploy.StateApproved:
		return "Applying: follow the output in the thread."
	}
	return ""
}

func resourceList(s *deploy.Session) string {
	if len(s.Resources) == 0 {
		return "None yet: choose one in “Add a resource…”."
	}
	var b strings.Builder
	for _, r := range s.Resources {
		fmt.Fprintf(&b, "• `%s` **%s**", r.Type, r.Name)
		if ps := params(r); ps != "" {
			b.WriteString(" (" + ps + ")")
		}
		b.WriteByte('\n')
	}
	return strings.TrimRight(b.String(), "\n")
}

func params(r deploy.Resource) string {
	var out []string
	for _, k := range []string{"size", "region"} {
		if v := r.Params[k]; v != "" {
			out = append(out, k+": "+v)
		}
	}
	return strings.Join(out, ", ")
}

// planField lists the resource changes and ends with terraform's line.
func planField(p *deploy.Plan) string {
	var b strings.Builder
	for _, c := range p.Changes {
		fmt.Fprintf(&b, "%s `%s`\n", actionSymbol(c.Action), c.Address)
	}
	b.WriteString(p.Line)
	return b.String()
}

func actionSymbol(a string) string {
	switch a {
	case "create":
		return "+"
	case "delete":
		return "-"
	case "update":
		return "~"
	case "replace":
		return "-/+"
	}
	return "•"
}

func costField(p *deploy.Plan) string {
	return strings.Join(append([]string{p.Cost}, p.CostNotes...), "\n")
}

func approvalsField(s *deploy.Session, p *deploy.Project) string {
	txt := fmt.Sprintf("%d/%d", len(s.Approvals), p.Approvals)
	for i, a := range s.Approvals {
		sep := ", "
		if i == 0 {
			sep = ": "
		}
		txt += sep + "<@" + a.UserID + ">"
	}
	return txt
}

// lobbyComponents are the selects and buttons of an open session.
func lobbyComponents(v deploy.LobbyView) []discord.LayoutComponent {
	s := v.Session
	running := s.State.Running()
	var rows []discord.LayoutComponent
	if s.Kind != deploy.KindDestroy {
		rows = append(rows, discord.NewActionRow(addSelect(s, v.Types, running)))
		if len(s.Resources) > 0 {
			rows = append(rows, discord.NewActionRow(resourceSelect(s, idRemove, "Remove a resource…", running)))
		}
		if len(s.Resources) > 0 && s.Kind == deploy.KindUpdate {
			rows = append(rows, discord.NewActionRow(resourceSelect(s, idChange, "Change a resource…", running)))
		}
	}
	canApprove := s.State == deploy.StatePlanned && s.Plan.HasChanges() && !running
	nothingToPlan := len(s.Resources) == 0 && s.Kind == deploy.KindDeploy
	buttons := []discord.InteractiveComponent{
		discord.NewSuccessButton(approveLabel(s, v.Project), customID(idApprove, s.ID)).WithDisabled(!canApprove),
		discord.NewSecondaryButton("Re-plan", customID(idReplan, s.ID)).WithDisabled(running || nothingToPlan),
		discord.NewSecondaryButton("Show plan", customID(idShowPlan, s.ID)).WithDisabled(s.Plan == nil),
		discord.NewDangerButton("Cancel", customID(idCancel, s.ID)),
	}
	return append(rows, discord.NewActionRow(buttons...))
}

func approveLabel(s *deploy.Session, p *deploy.Project) string {
	if p.Approvals > 0 {
		return fmt.Sprintf("Approve (%d/%d)", len(s.Approvals), p.Approvals)
	}
	switch s.Kind {
	case deploy.KindDestroy:
		return "Approve & Destroy"
	case deploy.KindUpdate:
		return "Approve & Update"
	}
	return "Approve & Deploy"
}

// addSelect offers the catalog's resource types by label, with their ids.
func addSelect(s *deploy.Session, types []deploy.ResourceType, running bool) discord.StringSelectMenuComponent {
	var opts []discord.StringSelectMenuOption
	for _, t := range types {
		opts = append(opts, discord.NewStringSelectMenuOption(t.Label, t.ID).WithDescription(t.ID))
	}
	return discord.NewStringSelectMenu(customID(idAdd, s.ID), "Add a resource…", opts...).WithDisabled(running)
}

// resourceSelect offers the session's resources by name (to remove, or to
// change in an update).
func resourceSelect(s *deploy.Session, prefix, placeholder string, running bool) discord.StringSelectMenuComponent {
	var opts []discord.StringSelectMenuOption
	for i, r := range s.Resources {
		if i == maxSelectOptions {
			break
		}
		opts = append(opts, discord.NewStringSelectMenuOption(clip(r.Name+" ("+r.Type+")", maxOptionLabel), r.Name))
	}
	return discord.NewStringSelectMenu(customID(prefix, s.ID), placeholder, opts...).WithDisabled(running)
}

// typeLabel is the catalog's label of type id, or the id itself when the
// catalog does not know it.
func typeLabel(types []deploy.ResourceType, id string) string {
	for _, t := range types {
		if t.ID == id {
			return t.Label
		}
	}
	return id
}
