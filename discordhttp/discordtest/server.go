package discordtest

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"sort"
	"strings"
	"time"
)

const (
	apiPrefix = "/api/v10"
	// Discord's request size limit.
	maxBody = 25 << 20
)

// route is one Discord endpoint the fake serves.
type route struct {
	method   string
	path     string // template, e.g. "/channels/{channel_id}/messages"
	specPath string // the OpenAPI path whose JSON body schema applies; "" = no body
	bot      bool   // needs "Authorization: Bot <token>"
	major    string // path value naming the rate-limit resource
	handle   func(f *Fake, c *call) (int, any, error)
}

func (rt route) template() string { return rt.method + " " + rt.path }

// call is one parsed request; handlers run with f.mu held.
type call struct {
	r     *http.Request
	raw   []byte
	body  map[string]any
	list  []any // array bodies (commands)
	files []Attachment
}

// apiError is an error response with Discord's JSON error code. invalid
// marks the 50035 family that OnInvalid reports.
type apiError struct {
	status  int
	code    int
	message string
	invalid bool
}

func (e *apiError) Error() string { return fmt.Sprintf("%d %d: %s", e.status, e.code, e.message) }

func fail(status, code int, msg string) error {
	return &apiError{status: status, code: code, message: msg}
}

func invalid(err error) error {
	if err == nil {
		return nil
	}
	return &apiError{status: http.StatusBadRequest, code: 50035, message: err.Error(), invalid: true}
}

func (f *Fake) routes() http.Handler {
	mux := http.NewServeMux()
	for _, rt := range f.routeTable() {
		mux.HandleFunc(rt.method+" "+apiPrefix+rt.path, f.serve(rt))
	}
	mux.HandleFunc("/", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusNotFound, map[string]any{"message": "404: Not Found", "code": 0})
	})
	return mux
}

func (f *Fake) serve(rt route) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		now := time.Now()
		c, readErr := readCall(r)
		req := Request{
			Method: r.Method, Route: rt.template(), Path: r.URL.Path, Query: r.URL.RawQuery,
			Body: c.raw, Auth: f.authKind(r), UserAgent: r.UserAgent(),
			ContentType: r.Header.Get("Content-Type"), Time: now,
		}
		req.Status = f.dispatch(w, rt, c, req.Auth, readErr, now)
		f.mu.Lock()
		f.requests = append(f.requests, req)
		f.mu.Unlock()
	}
}

// dispatch applies, in Discord's order, an outage, authentication, rate limits,
// injected failures, validation and the route itself.
func (f *Fake) dispatch(w http.ResponseWriter, rt route, c *call, auth string, readErr error, now time.Time) int {
	if status := f.outageAt(now); status != 0 {
		writeStatus(w, status)
		return status
	}
	if rt.bot && auth != "bot" {
		writeJSON(w, http.StatusUnauthorized, map[string]any{"message": "401: Unauthorized", "code": 0})
		return http.StatusUnauthorized
	}
	f.mu.Lock()
	v := f.limiter.take(rt.template(), c.r.PathValue(rt.major), now)
	injected := 0
	if !v.limited {
		injected = f.takeFailure(c.r.Method, c.r.URL.Path)
	}
	f.mu.Unlock()
	switch {
	case v.limited:
		tooMany(w, v, v.reset.Sub(now), now)
		return http.StatusTooManyRequests
	case injected == http.StatusTooManyRequests:
		tooMany(w, v, time.Second, now)
		return http.StatusTooManyRequests
	case injected != 0:
		v.writeHeaders(w.Header(), now)
		writeStatus(w, injected)
		return injected
	}
	v.writeHeaders(w.Header(), now)

	err := invalid(readErr)
	if err == nil && rt.specPath != "" {
		err = invalid(f.validator.validate(requestSchema(rt.specPath, strings.ToLower(rt.method)), c.raw))
	}
	status, body, lost := 0, any(nil), 0
	if err == nil {
		f.mu.Lock()
		status, body, err = rt.handle(f, c)
		if err == nil {
			lost = f.takeLost(c.r.Method, c.r.URL.Path)
		}
		f.mu.Unlock()
	}
	if err != nil {
		return f.writeError(w, rt, err)
	}
	if lost != 0 {
		writeStatus(w, lost)
		return lost
	}
	if status == http.StatusNoContent {
		w.WriteHeader(status)
		return status
	}
	writeJSON(w, status, body)
	return status
}

func (f *Fake) writeError(w http.ResponseWriter, rt route, err error) int {
	var ae *apiError
	if !errors.As(err, &ae) {
		ae = &apiError{status: http.StatusInternalServerError, message: err.Error()}
	}
	body := map[string]any{"message": ae.message, "code": ae.code}
	if ae.invalid {
		f.opts.OnInvalid(fmt.Errorf("%s: %w", rt.template(), err))
		body["message"] = "Invalid Form Body"
		body["errors"] = map[string]any{"_errors": []any{map[string]any{"code": "BASE_TYPE_INVALID", "message": ae.message}}}
	}
	writeJSON(w, ae.status, body)
	return ae.status
}

// takeFailure consumes an injected failure; callers hold f.mu.
func (f *Fake) takeFailure(method, path string) int {
	for i := range f.failures {
		fl := &f.failures[i]
		if fl.left > 0 && fl.match(method, strings.TrimPrefix(path, apiPrefix)) {
			fl.left--
			return fl.status
		}
	}
	return 0
}

func (f *Fake) authKind(r *http.Request) string {
	h := r.Header.Get("Authorization")
	switch {
	case h == "":
		return "none"
	case f.opts.BotToken != "" && h == "Bot "+f.opts.BotToken:
		return "bot"
	default:
		return "invalid"
	}
}

// readCall reads a JSON or multipart body; for multipart, payload_json is
// the body and files[n] the uploads.
func readCall(r *http.Request) (*call, error) {
	c := &call{r: r}
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt == "multipart/form-data" {
		if err := r.ParseMultipartForm(maxBody); err != nil {
			return c, fmt.Errorf("multipart body: %w", err)
		}
		c.raw = []byte(strings.Join(r.MultipartForm.Value["payload_json"], ""))
		files, err := readFiles(r)
		if err != nil {
			return c, err
		}
		c.files = files
	} else {
		raw, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
		if err != nil {
			return c, fmt.Errorf("read body: %w", err)
		}
		if len(raw) > maxBody {
			return c, errors.New("request entity too large")
		}
		c.raw = raw
	}
	if len(c.raw) == 0 {
		return c, nil
	}
	var v any
	if err := json.Unmarshal(c.raw, &v); err != nil {
		return c, fmt.Errorf("body is not JSON: %w", err)
	}
	c.body, _ = v.(map[string]any)
	c.list, _ = v.([]any)
	return c, nil
}

func readFiles(r *http.Request) ([]Attachment, error) {
	keys := make([]string, 0, len(r.MultipartForm.File))
	for k := range r.MultipartForm.File {
		if strings.HasPrefix(k, "files[") {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	var out []Attachment
	for _, k := range keys {
		for _, fh := range r.MultipartForm.File[k] {
			file, err := fh.Open()
			if err != nil {
				return nil, fmt.Errorf("open %s: %w", k, err)
			}
			data, err := io.ReadAll(file)
			_ = file.Close()
			if err != nil {
				return nil, fmt.Errorf("read %s: %w", k, err)
			}
			out = append(out, Attachment{Filename: fh.Filename, Data: data})
		}
	}
	return out, nil
}

func writeJSON(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}
