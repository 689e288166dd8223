package discordtest

import (
	"encoding/json"
	"errors"
	"fmt"
)

// Interaction callback types.
const (
	callbackPong          = 1
	callbackMessage       = 4
	callbackDeferMessage  = 5
	callbackDeferUpdate   = 6
	callbackUpdateMessage = 7
	callbackAutocomplete  = 8
	callbackModal         = 9
)

const callbackSpec = "/interactions/{interaction_id}/{interaction_token}/callback"

// Respond applies the answer the service gave to an interaction in its HTTP
// response, which Discord (and so the fake) would otherwise never see. The
// body is validated like a request; an invalid one is reported to OnInvalid
// and returned as an error.
func (f *Fake) Respond(ic InteractionContext, responseBody []byte) error {
	err := f.respond(ic, responseBody)
	var ae *apiError
	if errors.As(err, &ae) && ae.invalid {
		f.opts.OnInvalid(fmt.Errorf("interaction response: %w", err))
	}
	return err
}

func (f *Fake) respond(ic InteractionContext, body []byte) error {
	if err := f.validator.validate(requestSchema(callbackSpec, "post"), body); err != nil {
		return invalid(err)
	}
	var resp struct {
		Type int            `json:"type"`
		Data map[string]any `json:"data"`
	}
	if err := json.Unmarshal(body, &resp); err != nil {
		return invalid(err)
	}
	if resp.Data == nil {
		resp.Data = map[string]any{}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if in, ok := f.interactions[ic.Token]; ok && in.acknowledged {
		return fail(400, 40060, "Interaction has already been acknowledged")
	}
	in := &interaction{ctx: ic, acknowledged: true}
	if err := f.apply(in, resp.Type, resp.Data); err != nil {
		return err
	}
	f.interactions[ic.Token] = in
	return nil
}

// apply performs one callback type; callers hold f.mu.
func (f *Fake) apply(in *interaction, typ int, data map[string]any) error {
	ic := in.ctx
	switch typ {
	case callbackPong:
		return nil
	case callbackMessage:
		m, err := f.createMessage(ic.ChannelID, ic.GuildID, data, nil, ic.Token)
		if err != nil {
			return err
		}
		in.originalID = m.ID
	case callbackDeferMessage:
		flags := intOf(data["flags"])
		m := &Message{
			ID: f.newID(), ChannelID: ic.ChannelID, GuildID: ic.GuildID, Flags: flags & flagEphemeral,
			Ephemeral: flags&flagEphemeral != 0, Thinking: true, Interaction: ic.Token, CreatedAt: f.opts.Now(),
		}
		f.store(m)
		in.originalID = m.ID
	case callbackDeferUpdate, callbackUpdateMessage:
		m, ok := f.messages[ic.SourceMessageID]
		if !ok {
			return fail(404, codeUnknownMessage, "Unknown Message: the component's source message "+ic.SourceMessageID)
		}
		if typ == callbackUpdateMessage {
			if err := f.editMessage(m, data, nil); err != nil {
				return err
			}
		}
		in.originalID = m.ID
	case callbackAutocomplete:
		in.choices = json.RawMessage(mustMarshal(data["choices"]))
		f.publish(Event{Kind: EventAutocomplete, ChannelID: ic.ChannelID, Token: ic.Token})
	case callbackModal:
		if err := checkModal(data); err != nil {
			return invalid(err)
		}
		in.modal = json.RawMessage(mustMarshal(data))
		f.publish(Event{Kind: EventModalOpened, ChannelID: ic.ChannelID, Token: ic.Token})
	default:
		return invalid(fmt.Errorf("callback type %d is not supported", typ))
	}
	return nil
}

func mustMarshal(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		// v came from json.Unmarshal, so it always marshals.
		panic(err)
	}
	return b
}
