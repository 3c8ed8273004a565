package simkit

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"sync"
)

// Memo makes the simulator answer a question it has answered before (same
// method, path and query, Content-Type, Accept, SOAPAction and body) with the
// bytes it sent then, for up to n distinct questions. It is for load
// benchmarks: there every question is the same, and the simulators' own XML
// and JSON work would otherwise take as much CPU as the gateway being
// measured, on the same cores. Faults still apply in front of it (a latency
// fault still delays every answer). Answers that depend on state changed
// after the first answer (SOAPSimulator.SetWrongNamespace) are not seen:
// tests of the simulators' answers leave it off. Call it after Answer.
func (f *Front) Memo(n int) {
	if f.answer == nil || n <= 0 {
		return
	}
	f.handler = f.faults.Wrap(&memo{next: f.answer, max: n, seen: map[string]*recorder{}})
}

type memo struct {
	next http.Handler
	max  int
	mu   sync.Mutex
	seen map[string]*recorder
}

func (m *memo) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	// The injector has read the body already (bounded by MaxRequest) and
	// put it back as a bytes.Reader: reading it again costs a copy only.
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, "could not read request", http.StatusBadRequest)
		return
	}
	r.Body = io.NopCloser(bytes.NewReader(body))
	key := strings.Join([]string{r.Method, r.URL.RequestURI(), r.Header.Get("Content-Type"),
		r.Header.Get("Accept"), r.Header.Get("SOAPAction"), string(body)}, "\x00")
	m.mu.Lock()
	rec := m.seen[key]
	m.mu.Unlock()
	if rec == nil {
		rec = newRecorder()
		m.next.ServeHTTP(rec, r)
		// Only complete answers are kept: one cut short by a caller that
		// went away would be replayed to every later caller.
		if r.Context().Err() == nil {
			m.mu.Lock()
			if len(m.seen) < m.max {
				m.seen[key] = rec
			}
			m.mu.Unlock()
		}
	}
	rec.replay(w, rec.body.Len())
}
