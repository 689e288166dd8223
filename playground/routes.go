package playground

import (
	"embed"
	"encoding/json"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"time"

	"github.com/go-chi/chi/v5"
)

//go:embed web
var webFiles embed.FS

// maxInteractionBody bounds what the page may send; Discord's own
// interaction payloads are far smaller.
const maxInteractionBody = 1 << 20

// Routes mounts the page at / and its API under /playground/.
func (p *Playground) Routes(r chi.Router) {
	web, _ := fs.Sub(webFiles, "web") // "web" is embedded above, so Sub cannot fail
	r.Get("/", func(w http.ResponseWriter, r *http.Request) {
		http.ServeFileFS(w, r, web, "index.html")
	})
	r.Handle("/playground/static/*", http.StripPrefix("/playground/static/", http.FileServerFS(web)))
	r.Get("/playground/commands", p.serveCommands)
	r.Get("/playground/state", p.serveState)
	r.Get("/playground/events", p.serveEvents)
	r.Post("/playground/interact", p.serveInteract)
	r.Get("/playground/attachments/{message}/{attachment}/{filename}", p.serveAttachment)
}

func (p *Playground) serveCommands(w http.ResponseWriter, _ *http.Request) {
	b, err := commandsJSON()
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(b)
}

func (p *Playground) serveState(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, p.view(r.URL.Query().Get("user")))
}

func (p *Playground) serveInteract(w http.ResponseWriter, r *http.Request) {
	var in Interaction
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxInteractionBody)).Decode(&in); err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "bad interaction: " + err.Error()})
		return
	}
	reply, err := p.Interact(r.Context(), in)
	if err != nil {
		writeJSON(w, http.StatusBadGateway, map[string]string{"error": err.Error()})
		return
	}
	writeJSON(w, http.StatusOK, reply)
}

func (p *Playground) serveAttachment(w http.ResponseWriter, r *http.Request) {
	a, ok := p.attachment(chi.URLParam(r, "message"), chi.URLParam(r, "attachment"))
	if !ok {
		http.NotFound(w, r)
		return
	}
	ct := mime.TypeByExtension(path.Ext(a.Filename))
	if ct == "" {
		ct = "application/octet-stream"
	}
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": a.Filename}))
	_, _ = w.Write(a.Data)
}

// heartbeat keeps idle event streams open through proxies.
const heartbeat = 20 * time.Second

// serveEvents streams "look again" notices from the stand-in as
// server-sent events; the page re-fetches its state on each.
func (p *Playground) serveEvents(w http.ResponseWriter, r *http.Request) {
	flusher, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	events, stop := p.fake.Subscribe()
	defer stop()
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-cache")
	_, _ = w.Write([]byte("retry: 1000\nevent: hello\ndata: {}\n\n"))
	flusher.Flush()
	tick := time.NewTicker(heartbeat)
	defer tick.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-p.done:
			return
		case <-tick.C:
			_, _ = w.Write([]byte(": keep-alive\n\n"))
		case e, open := <-events:
			if !open {
				return
			}
			b, _ := json.Marshal(map[string]string{"kind": string(e.Kind), "channel_id": e.ChannelID, "message_id": e.MessageID})
			_, _ = w.Write([]byte("event: change\ndata: " + string(b) + "\n\n"))
		}
		flusher.Flush()
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}
