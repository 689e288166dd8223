package tf

import (
	"bytes"
	"encoding/json"
	"strings"
	"sync"
)

// uiMessage is one line of terraform's machine-readable UI (-json).
type uiMessage struct {
	Level      string        `json:"@level"`
	Message    string        `json:"@message"`
	Type       string        `json:"type"`
	Diagnostic *uiDiagnostic `json:"diagnostic"`
	Changes    *uiChanges    `json:"changes"`
}

type uiDiagnostic struct {
	Severity string `json:"severity"`
	Summary  string `json:"summary"`
	Detail   string `json:"detail"`
}

type uiChanges struct {
	Add       int    `json:"add"`
	Change    int    `json:"change"`
	Remove    int    `json:"remove"`
	Operation string `json:"operation"`
}

// uiWriter turns terraform's JSON UI into human-readable lines as they
// arrive, and remembers the change summary and the first error.
type uiWriter struct {
	onLine func(string)

	mu        sync.Mutex
	partial   []byte
	lines     []string
	summary   string
	changes   *uiChanges
	firstDiag *uiDiagnostic
}

func newUIWriter(onLine func(string)) *uiWriter {
	return &uiWriter{onLine: onLine}
}

// Write receives terraform's stdout in arbitrary chunks.
func (w *uiWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.partial = append(w.partial, p...)
	for {
		i := bytes.IndexByte(w.partial, '\n')
		if i < 0 {
			break
		}
		w.handle(w.partial[:i])
		w.partial = w.partial[i+1:]
	}
	return len(p), nil
}

// flush handles a last line without a newline.
func (w *uiWriter) flush() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(bytes.TrimSpace(w.partial)) > 0 {
		w.handle(w.partial)
	}
	w.partial = nil
}

func (w *uiWriter) handle(raw []byte) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return
	}
	var m uiMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		// Not JSON (a crash message, say): show it cleaned, never raw.
		w.emit(stripANSI(string(raw)))
		return
	}
	switch m.Type {
	case "version":
		return
	case "change_summary":
		w.summary, w.changes = m.Message, m.Changes
	case "diagnostic":
		if m.Diagnostic != nil && m.Diagnostic.Severity == "error" && w.firstDiag == nil {
			w.firstDiag = m.Diagnostic
		}
	}
	w.emit(m.Message)
	if m.Diagnostic != nil && m.Diagnostic.Detail != "" {
		for _, l := range strings.Split(m.Diagnostic.Detail, "\n") {
			w.emit(l)
		}
	}
}

func (w *uiWriter) emit(line string) {
	line = strings.TrimRight(stripANSI(line), " \t\r")
	if line == "" {
		return
	}
	w.lines = append(w.lines, line)
	if w.onLine != nil {
		w.onLine(line)
	}
}

func (w *uiWriter) log() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return strings.Join(w.lines, "\n")
}

func (w *uiWriter) result() (summary string, changes *uiChanges, diag *uiDiagnostic) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.summary, w.changes, w.firstDiag
}
