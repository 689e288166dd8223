package handlers

import (
	"context"
	"fmt"
	"time"

	"github.com/disgoorg/disgo/discord"

	"github.com/cloudengine/cloud-engine/deploy"
)

// autocomplete suggests projects and session ids the user may see.
func (h *Handler) autocomplete(ctx context.Context, r *Request) (*discord.InteractionResponse, error) {
	name, value := r.Cmd.focused()
	var choices []discord.AutocompleteChoice
	switch name {
	case "project":
		ps, err := h.svc.SuggestProjects(ctx, r.Actor, value)
		if err != nil {
			return nil, err
		}
		for _, p := range ps {
			label := p.ID + " (" + p.Provider + ")"
			if p.Description != "" {
				label += " — " + p.Description
			}
			choices = append(choices, discord.AutocompleteChoiceString{Name: clip(label, maxChoiceName), Value: p.ID})
		}
	case "session_id":
		purpose := deploy.SuggestOwnOpen
		switch r.Name {
		case cmdDestroy, cmdUpdate:
			purpose = deploy.SuggestLive
		case cmdHistory:
			purpose = deploy.SuggestDeployments
		case cmdAdminCancel:
			purpose = deploy.SuggestAnyOpen
		case cmdExtend:
			purpose = deploy.SuggestExpiring
		}
		ss, err := h.svc.SuggestSessions(ctx, r.Actor, purpose, value)
		if err != nil {
			return nil, err
		}
		for _, s := range ss {
			label := fmt.Sprintf("%s · %s · %s", s.ID, s.ProjectID, deploy.DescribeState(s))
			if s.ExpiresAt != nil {
				label += " · expires in " + deploy.FormatDuration(max(s.ExpiresAt.Sub(h.now()), 0).Round(time.Second))
			}
			choices = append(choices, discord.AutocompleteChoiceString{Name: clip(label, maxChoiceName), Value: s.ID})
		}
	}
	if len(choices) > maxChoices {
		choices = choices[:maxChoices]
	}
	if choices == nil {
		choices = []discord.AutocompleteChoice{}
	}
	return &discord.InteractionResponse{Type: discord.InteractionResponseTypeAutocompleteResult,
		Data: discord.AutocompleteResult{Choices: choices}}, nil
}
