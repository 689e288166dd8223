package handlers

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/disgoorg/disgo/discord"

	"github.com/cloudengine/cloud-engine/deploy"
)

// Outcomes of an interaction for the metrics and the log.
const (
	outcomeOK     = "ok"
	outcomeDenied = "denied"
	outcomeError  = "error"
)

// Request is one decoded interaction on its way to a handler function.
type Request struct {
	In    *Interaction
	Actor deploy.Actor
	Token deploy.Token
	Name  string   // command name or custom-id prefix
	Args  []string // custom-id arguments
	Cmd   *CommandData
	Comp  *ComponentData
	Modal *ModalData
}

// Func answers one kind of interaction.
type Func func(ctx context.Context, r *Request) (*discord.InteractionResponse, error)

// router maps names to handler functions, one map per interaction type.
type router struct {
	commands     map[string]Func
	autocomplete map[string]Func
	components   map[string]Func
	modals       map[string]Func
}

// typeName is the metric label of an interaction type.
func typeName(t int) string {
	switch t {
	case typePing:
		return "ping"
	case typeCommand:
		return "command"
	case typeComponent:
		return "component"
	case typeAutocomplete:
		return "autocomplete"
	case typeModal:
		return "modal"
	}
	return "unknown"
}

// ServeHTTP answers a verified interaction: decode, route, call, write.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, "cannot read body", http.StatusBadRequest)
		return
	}
	in, err := decode(body)
	if err != nil {
		h.log.Warn("interaction rejected", "err", err)
		http.Error(w, "malformed interaction", http.StatusBadRequest)
		return
	}
	gate := make(chan struct{})
	defer close(gate)
	ctx := deploy.WithResponseGate(r.Context(), gate)
	req, resp, outcome, name := h.handle(ctx, in)
	out, err := json.Marshal(resp)
	if err != nil {
		h.log.Error("interaction response not encodable", "name", name, "err", err)
		out, outcome = []byte(`{"type":4,"data":{"content":"Something went wrong.","flags":64}}`), outcomeError
	}
	// Counted before the answer leaves, so that whoever reads the metrics
	// after getting the answer sees it.
	elapsed := time.Since(start)
	h.metrics.latency.Observe(elapsed.Seconds())
	h.metrics.interactions.WithLabelValues(typeName(in.Type), name, outcome).Inc()
	h.write(w, out)
	if in.Type != typePing {
		h.log.Info("interaction", "type", typeName(in.Type), "name", name, "outcome", outcome,
			"guild", in.GuildID, "user", req.Actor.UserID, "ms", float64(elapsed.Microseconds())/1000)
	}
}

// write sends the answer and flushes it, so that Discord has it before the
// background work that follows edits it.
func (h *Handler) write(w http.ResponseWriter, body []byte) {
	w.Header().Set("Content-Type", "application/json")
	// Set explicitly: the flush would otherwise turn it into a chunked
	// response.
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	_, _ = w.Write(body)
	if f, ok := w.(http.Flusher); ok {
		f.Flush()
	}
}

// handle routes an interaction and turns errors and panics into answers.
func (h *Handler) handle(ctx context.Context, in *Interaction) (req *Request, resp *discord.InteractionResponse, outcome, name string) {
	req = &Request{In: in}
	if in.Type == typePing {
		return req, &discord.InteractionResponse{Type: discord.InteractionResponseTypePong}, outcomeOK, "ping"
	}
	fn, name := h.route(req)
	defer func() {
		if p := recover(); p != nil {
			h.log.Error("interaction handler panicked", "name", name, "panic", p)
			resp, outcome = ephemeral("Something went wrong. The error was logged; please try again."), outcomeError
		}
	}()
	if (in.GuildID == "" || in.Member == nil) && in.Type == typeAutocomplete {
		return req, noChoices(), outcomeDenied, name
	}
	if in.GuildID == "" || in.Member == nil {
		return req, ephemeral("Cloud Engine works in servers only."), outcomeDenied, name
	}
	req.Actor = deploy.Actor{GuildID: in.GuildID, ChannelID: in.ChannelID, UserID: in.Member.User.ID,
		Permissions: in.permissions(), RoleIDs: in.Member.Roles}
	req.Token = deploy.Token{Value: in.Token, IssuedAt: in.CreatedAt(h.now())}
	// Before any handler runs, so that a server the operator did not enable
	// stores nothing and reads nothing.
	if !h.svc.GuildEnabled(in.GuildID) {
		if in.Type == typeAutocomplete {
			return req, noChoices(), outcomeDenied, name
		}
		return req, h.errorResponse(req, deploy.ErrGuildNotEnabled), outcomeDenied, name
	}
	if fn == nil {
		return req, ephemeral("This action is not known (it may come from an older version). Please run the command again."), outcomeError, name
	}
	// A replayed command, click or submit does nothing (SPEC §1).
	// Autocomplete only reads, and PINGs were answered above.
	if in.Type != typeAutocomplete {
		if err := h.svc.FirstDelivery(ctx, in.ID); err != nil {
			return req, h.errorResponse(req, err), errorOutcome(err), name
		}
	}
	resp, err := fn(ctx, req)
	if err != nil && in.Type == typeAutocomplete {
		h.log.Warn("autocomplete failed", "name", name, "err", err)
		return req, noChoices(), errorOutcome(err), name
	}
	if err != nil {
		return req, h.errorResponse(req, err), errorOutcome(err), name
	}
	return req, resp, outcomeOK, name
}

// route finds the function for an interaction; name is the metric label.
func (h *Handler) route(req *Request) (Func, string) {
	in := req.In
	switch in.Type {
	case typeCommand, typeAutocomplete:
		var d CommandData
		if json.Unmarshal(in.Data, &d) != nil {
			return nil, "invalid"
		}
		req.Cmd, req.Name = &d, d.Name
		table := h.r.commands
		if in.Type == typeAutocomplete {
			table = h.r.autocomplete
		}
		return lookup(table, d.Name)
	case typeComponent:
		var d ComponentData
		if json.Unmarshal(in.Data, &d) != nil {
			return nil, "invalid"
		}
		req.Comp = &d
		return h.routeID(req, h.r.components, d.CustomID)
	case typeModal:
		var d ModalData
		if json.Unmarshal(in.Data, &d) != nil {
			return nil, "invalid"
		}
		req.Modal = &d
		return h.routeID(req, h.r.modals, d.CustomID)
	}
	return nil, "unknown"
}

func (h *Handler) routeID(req *Request, table map[string]Func, id string) (Func, string) {
	prefix, args, ok := parseCustomID(id)
	if !ok {
		return nil, "unknown"
	}
	req.Name, req.Args = prefix, args
	return lookup(table, prefix)
}

func lookup(table map[string]Func, name string) (Func, string) {
	fn, ok := table[name]
	if !ok {
		return nil, "unknown"
	}
	return fn, name
}

// errorResponse shows an error once, at the edge: the user sees the
// application message, the log gets the cause.
func (h *Handler) errorResponse(req *Request, err error) *discord.InteractionResponse {
	if deploy.ErrorCode(err) == deploy.EINTERNAL {
		h.log.Error("interaction failed", "name", req.Name, "guild", req.Actor.GuildID, "err", err)
	}
	return ephemeral(deploy.ErrorMessage(err))
}

// errorOutcome labels a refusal: a permission or a quota says no
// ("denied"), our own failure is an "error", and a user's mistake (invalid
// input, an expired or ended session) was handled as designed ("ok").
func errorOutcome(err error) string {
	switch deploy.ErrorCode(err) {
	case deploy.EFORBIDDEN, deploy.EQUOTA:
		return outcomeDenied
	case deploy.EINTERNAL:
		return outcomeError
	}
	return outcomeOK
}

// Handler is the /interactions endpoint behind signature verification.
type Handler struct {
	svc     *deploy.Service
	jobs    *deploy.Jobs
	discord Discord
	log     *slog.Logger
	metrics *Metrics
	now     func() time.Time
	r       router
}
