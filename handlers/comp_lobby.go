package handlers

import (
	"context"
	"strings"

	"github.com/disgoorg/disgo/discord"

	"github.com/cloudengine/cloud-engine/deploy"
)

func (h *Handler) click(r *Request) deploy.Click {
	return deploy.Click{Actor: r.Actor, Session: r.Args[0], Token: r.Token}
}

// addSelected opens the modal of the chosen resource type.
func (h *Handler) addSelected(ctx context.Context, r *Request) (*discord.InteractionResponse, error) {
	if len(r.Comp.Values) != 1 {
		return nil, deploy.Errorf(deploy.EINVALID, "Choose one resource type.")
	}
	t := r.Comp.Values[0]
	fields, err := h.svc.ResourceForm(ctx, h.click(r), t)
	if err != nil {
		return nil, err
	}
	return resourceModal(r.Args[0], t, typeLabel(h.svc.Catalog().ResourceTypes(), t), fields), nil
}

// resourceModal asks for a resource's name and parameters.
func resourceModal(session, t, label string, fields []deploy.Field) *discord.InteractionResponse {
	return fieldsModal(customID(idResource, session, t), clip("Add "+strings.ToLower(label), maxModalTitle), fields)
}

// fieldsModal is a modal of short text inputs, one per field.
func fieldsModal(id, title string, fields []deploy.Field) *discord.InteractionResponse {
	m := discord.NewModalCreate(id, title)
	for i, f := range fields {
		if i == maxModalInputs {
			break
		}
		in := discord.NewShortTextInput(f.ID).WithRequired(f.Required)
		if f.MaxLength > 0 {
			in = in.WithMaxLength(f.MaxLength)
		}
		if f.Default != "" {
			in = in.WithValue(f.Default)
		}
		m = m.AddLabel(clip(f.Label, maxLabel), in)
	}
	return &discord.InteractionResponse{Type: discord.InteractionResponseTypeModal, Data: m}
}

// resourceSubmitted adds the resource and starts a plan; the lobby is
// updated through this interaction's token.
func (h *Handler) resourceSubmitted(ctx context.Context, r *Request) (*discord.InteractionResponse, error) {
	vals := r.Modal.Values()
	res := deploy.Resource{Type: r.Args[1], Name: strings.TrimSpace(vals["name"]), Params: map[string]string{}}
	for k, v := range vals {
		if k != "name" && strings.TrimSpace(v) != "" {
			res.Params[k] = strings.TrimSpace(v)
		}
	}
	if _, err := h.svc.AddResource(ctx, h.click(r), res); err != nil {
		return nil, err
	}
	return deferredUpdate(), nil
}

func (h *Handler) removeSelected(ctx context.Context, r *Request) (*discord.InteractionResponse, error) {
	if len(r.Comp.Values) != 1 {
		return nil, deploy.Errorf(deploy.EINVALID, "Choose one resource to remove.")
	}
	if _, err := h.svc.RemoveResource(ctx, h.click(r), r.Comp.Values[0]); err != nil {
		return nil, err
	}
	return deferredUpdate(), nil
}

func (h *Handler) replan(ctx context.Context, r *Request) (*discord.InteractionResponse, error) {
	if _, err := h.svc.Replan(ctx, h.click(r)); err != nil {
		return nil, err
	}
	return deferredUpdate(), nil
}

func (h *Handler) approve(ctx context.Context, r *Request) (*discord.InteractionResponse, error) {
	res, err := h.svc.Approve(ctx, h.click(r))
	if err != nil {
		return nil, err
	}
	if res.Started || res.Recorded {
		return deferredUpdate(), nil
	}
	return ephemeral(res.Message), nil
}

func (h *Handler) cancelButton(ctx context.Context, r *Request) (*discord.InteractionResponse, error) {
	sess, msg, err := h.svc.Cancel(ctx, h.click(r), deploy.CancelByButton)
	if err != nil {
		return nil, err
	}
	if sess.State == deploy.StateCancelled {
		return deferredUpdate(), nil
	}
	return ephemeral(msg), nil
}

// showPlan shows the plan text to the clicker; a long plan goes as a file.
func (h *Handler) showPlan(ctx context.Context, r *Request) (*discord.InteractionResponse, error) {
	sess, err := h.svc.ShowPlan(ctx, deploy.Click{Actor: r.Actor, Session: r.Args[0]})
	if err != nil {
		return nil, err
	}
	text := sess.Plan.Text
	if text == "" {
		text = planField(sess.Plan)
	}
	if len(text) <= maxContent-20 {
		return ephemeral("```\n" + text + "\n```"), nil
	}
	token := r.Token.Value
	h.jobs.GoAfterResponse(ctx, "show plan", func(jctx context.Context) {
		u := discord.NewMessageUpdate().WithContent(clip(sess.Plan.Line, maxContent)).
			WithFiles(discord.NewFile("plan-"+sess.ID+".txt", "", strings.NewReader(text))).
			WithAllowedMentions(noMentions())
		if _, err := editDeferred(jctx, h.discord, token, u); err != nil {
			h.log.Warn("plan file not sent", "session", sess.ID, "err", err)
		}
	})
	return deferred(true), nil
}
