// Package simkit is what the agency simulators share: the test persons of
// DESIGN.md §6, fault injection, and SOAP request/answer plumbing for the
// server side. Each agency's simulator lives in its own adapter package.
package simkit

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/beevik/etree"

	"github.com/ssbtek/gateway/adapters/soap"
)

// The test persons every simulator knows. Any other valid number is nobody known.
const (
	// Tolvan Tolvansson: data at every agency (MIV: none).
	Tolvan = "191212121212"
	// A job seeker: AF and SO data; the rest UPPGIFTSAKNAS.
	Jobbsokare = "199001011239"
	// Protected identity: data, marked SKYDDADIDENTITET where the agency flags it.
	Skyddad = "198503152384"
	// Newly arrived: MIV time-limited permit, FK etableringsersättning, AF programme.
	Nyanland = "197207041190"
	// A student: CSN studiemedel and studiehjälp.
	Student = "200109114520"
	// A pensioner: PM allmän pension, FK bostadstillägg.
	Pensionar = "196408232814"
	// Every agency answers with its own native error.
	Felperson = "199511303498"
	// Every agency answers after SlowDelay.
	Langsam = "195802281625"
	// A samordningsnummer: AF and FK data.
	Samordningsnummer = "198305742218"
)

// UtanAvtal is an organisation the agencies themselves refuse, whoever it
// asks about: LEFI does not know it as an actor (403 "Ej behörig") and
// Transportstyrelsen has no medgivande om direktåtkomst from it. Its
// questions show an agency's own refusal (ATKOMSTNEKAD), which the
// gateway's rights file cannot foresee.
const UtanAvtal = "162120009901"

// SlowDelay is how long every agency takes for Langsam.
const SlowDelay = 3 * time.Second

// Delay holds the answer for the slow test person, ending early if the caller
// goes away. It reports false when the request was abandoned.
func Delay(ctx context.Context, pnr string) bool {
	if pnr != Langsam {
		return true
	}
	return Sleep(ctx, SlowDelay)
}

// Sleep waits d or until ctx is done; it reports whether d passed.
func Sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// FaultKind is a kind of injected failure.
type FaultKind string

// The generic faults every simulator supports. Agency-specific native errors
// come from the Felperson test person instead.
const (
	FaultNone      FaultKind = ""
	FaultLatency   FaultKind = "latency"   // answer normally after Fault.Latency
	FaultHang      FaultKind = "hang"      // never answer until the caller gives up
	FaultHTTP500   FaultKind = "http500"   // plain-text HTTP 500
	FaultSOAPFault FaultKind = "soapfault" // HTTP 500 with the protocol's error answer (SOAPFault)
	FaultMalformed FaultKind = "malformed" // 200 with a body that is not XML/JSON
	FaultTruncated FaultKind = "truncated" // the real answer cut in half mid-stream
	FaultOversized FaultKind = "oversized" // a syntactically plausible OversizedBytes answer
)

// SOAPFault is the fault the soapfault injection answers with, as HTTP 500:
// a SOAP 1.1 Fault for a SOAP question; for a JSON question (FK's LEFI) a
// JSON error object {"meddelande": String, "timestamp": …}, LEFI's
// LefiFelsvar shape. An adapter passes it on as the agency's own error.
var SOAPFault = soap.Fault{Code: "soap:Server", String: "Simulerat tekniskt fel i tjänsten"}

// OversizedBytes is at least how large the oversized answer is: five times
// the adapters' default 4 MiB answer limit, so that a reader without a limit
// shows in the chaos suite's memory figures.
const OversizedBytes = 20 << 20

// FaultHeader lets a chaos client pick a fault per request, e.g.
// "X-Simulator-Fault: latency=2s" or "X-Simulator-Fault: hang".
const FaultHeader = "X-Simulator-Fault"

// Fault is one injected failure.
type Fault struct {
	Kind    FaultKind
	Latency time.Duration
}

// ParseFault reads "kind" or "latency=DURATION".
func ParseFault(s string) (Fault, error) {
	kind, arg, _ := strings.Cut(strings.TrimSpace(s), "=")
	f := Fault{Kind: FaultKind(kind)}
	switch f.Kind {
	case FaultNone, FaultHang, FaultHTTP500, FaultSOAPFault, FaultMalformed, FaultTruncated, FaultOversized:
		return f, nil
	case FaultLatency:
		d, err := time.ParseDuration(arg)
		if err != nil || d < 0 {
			return Fault{}, fmt.Errorf("fault %q: latency needs a duration, e.g. latency=2s", s)
		}
		f.Latency = d
		return f, nil
	default:
		return Fault{}, fmt.Errorf("unknown fault %q", s)
	}
}

// Injector injects a fault into every request it wraps. The zero value injects
// nothing; it is safe for concurrent use.
type Injector struct {
	mu sync.Mutex
	f  Fault
}

// Set makes every following request fail with f.
func (in *Injector) Set(f Fault) { in.mu.Lock(); in.f = f; in.mu.Unlock() }

// Clear stops injecting faults.
func (in *Injector) Clear() { in.Set(Fault{}) }

func (in *Injector) current() Fault { in.mu.Lock(); defer in.mu.Unlock(); return in.f }

// Wrap returns next with fault injection in front of it.
func (in *Injector) Wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Read the request first: net/http notices a client that went away
		// only once the body is consumed, and a hanging or slow handler must
		// end when its caller gives up.
		body, err := io.ReadAll(io.LimitReader(r.Body, MaxRequest))
		if err != nil {
			http.Error(w, "could not read request", http.StatusBadRequest)
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		f := in.current()
		if h := r.Header.Get(FaultHeader); h != "" {
			hf, err := ParseFault(h)
			if err != nil {
				http.Error(w, err.Error(), http.StatusBadRequest)
				return
			}
			f = hf
		}
		switch f.Kind {
		case FaultLatency:
			if !Sleep(r.Context(), f.Latency) {
				return
			}
			next.ServeHTTP(w, r)
		case FaultHang:
			<-r.Context().Done()
		case FaultHTTP500:
			http.Error(w, "simulated internal server error", http.StatusInternalServerError)
		case FaultSOAPFault:
			writeSOAPFault(w, r)
		case FaultMalformed:
			w.Header().Set("Content-Type", soap.ContentType)
			io.WriteString(w, "<soap:Envelope xmlns:soap=\"http://schemas.xmlsoap.org/soap/envelope/\"><soap:Body><unclosed>& not xml {")
		case FaultTruncated:
			truncate(w, r, next)
		case FaultOversized:
			writeOversized(w, r)
		default:
			next.ServeHTTP(w, r)
		}
	})
}

// asksJSON reports whether r is a question to a JSON API (FK's LEFI): its
// body is JSON, or, for a GET, it accepts JSON. Everything else speaks SOAP.
func asksJSON(r *http.Request) bool {
	ct := r.Header.Get("Content-Type")
	if ct == "" {
		ct = r.Header.Get("Accept")
	}
	mt, _, _ := mime.ParseMediaType(ct)
	return mt == "application/json" || strings.HasSuffix(mt, "+json")
}

// writeSOAPFault answers with SOAPFault in r's protocol.
func writeSOAPFault(w http.ResponseWriter, r *http.Request) {
	if !asksJSON(r) {
		WriteFault(w, SOAPFault)
		return
	}
	b, err := json.Marshal(struct {
		Meddelande string `json:"meddelande"`
		Timestamp  string `json:"timestamp"`
	}{SOAPFault.String, time.Now().UTC().Format(time.RFC3339)})
	if err != nil { // a struct of two strings always marshals
		http.Error(w, "simulator: "+err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusInternalServerError)
	w.Write(b)
}

// truncate sends next's real answer with its full Content-Length, then half
// of its body, and drops the connection: the caller sees headers that
// promise more than ever arrives.
func truncate(w http.ResponseWriter, r *http.Request, next http.Handler) {
	rec := newRecorder()
	next.ServeHTTP(rec, r)
	rec.replay(w, rec.body.Len()/2)
	// The half must reach the wire before the connection goes: without the
	// flush it would still sit in the server's buffer, and the caller would
	// see headers and no body at all.
	if fl, ok := w.(http.Flusher); ok {
		fl.Flush()
	}
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			conn.Close()
			return
		}
	}
	// No hijacking (HTTP/2, a wrapping writer): net/http aborts the answer
	// and closes the stream or connection on this one panic, without logging.
	panic(http.ErrAbortHandler)
}

// writeOversized streams an answer of OversizedBytes and a little more in
// r's protocol, plausible up to its end, one small chunk at a time: the
// simulator never holds it in memory, so memory measured in a chaos run is
// the gateway's.
func writeOversized(w http.ResponseWriter, r *http.Request) {
	head, tail := `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><x>`, `</x></soap:Body></soap:Envelope>`
	w.Header().Set("Content-Type", soap.ContentType)
	if asksJSON(r) {
		head, tail = `{"x":"`, `"}`
		w.Header().Set("Content-Type", "application/json")
	}
	const chunkSize = 64 << 10
	chunk := bytes.Repeat([]byte("A"), chunkSize)
	io.WriteString(w, head)
	for range OversizedBytes / chunkSize {
		if _, err := w.Write(chunk); err != nil {
			return // the caller stopped reading, as a bounded reader does
		}
	}
	io.WriteString(w, tail)
}

type recorder struct {
	header http.Header
	status int
	body   strings.Builder
}

func newRecorder() *recorder { return &recorder{header: http.Header{}, status: http.StatusOK} }

// replay sends the recorded answer to w with its full Content-Length but
// only its first n bytes of body.
func (r *recorder) replay(w http.ResponseWriter, n int) {
	for k, v := range r.header {
		w.Header()[k] = v
	}
	body := r.body.String()
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(r.status)
	io.WriteString(w, body[:n])
}

func (r *recorder) Header() http.Header         { return r.header }
func (r *recorder) WriteHeader(s int)           { r.status = s }
func (r *recorder) Write(b []byte) (int, error) { return r.body.Write(b) }

// MaxRequest bounds what a simulator reads of a request.
const MaxRequest = 1 << 20

// ReadSOAP reads a SOAP request. On failure it has already answered with a
// client fault, and returns nil.
func ReadSOAP(w http.ResponseWriter, r *http.Request) *soap.Envelope {
	if r.Method != http.MethodPost {
		http.Error(w, "SOAP endpoints take POST", http.StatusMethodNotAllowed)
		return nil
	}
	raw, err := io.ReadAll(io.LimitReader(r.Body, MaxRequest))
	if err != nil {
		WriteFault(w, soap.Fault{Code: "soap:Client", String: "could not read request"})
		return nil
	}
	env, err := soap.Parse(raw)
	if err != nil || env.Body == nil {
		WriteFault(w, soap.Fault{Code: "soap:Client", String: "request is not a SOAP 1.1 envelope with a body"})
		return nil
	}
	return env
}

// WriteSOAP answers 200 with body (and header elements) in an envelope.
func WriteSOAP(w http.ResponseWriter, body *etree.Element, headers ...*etree.Element) {
	w.Header().Set("Content-Type", soap.ContentType)
	w.WriteHeader(http.StatusOK)
	w.Write(soap.Build(body, headers...))
}

// WriteFault answers HTTP 500 with a SOAP 1.1 fault, as SOAP 1.1 requires.
func WriteFault(w http.ResponseWriter, f soap.Fault) {
	w.Header().Set("Content-Type", soap.ContentType)
	w.WriteHeader(http.StatusInternalServerError)
	w.Write(soap.BuildFault(f))
}

// Document parses a simulator's own payload template; a failure is a bug in
// the simulator, reported as such to its caller.
func Document(xml string) (*etree.Element, error) {
	doc := etree.NewDocument()
	if err := doc.ReadFromString(xml); err != nil {
		return nil, fmt.Errorf("simulator payload: %w", err)
	}
	return doc.Root(), nil
}

// Front is what every simulator puts in front of its agency's own answers:
// fault injection. A simulator embeds it and names its answering handler
// once with Answer; Front then serves HTTP and exposes the injector, so the
// simulator satisfies adapters.Simulator.
type Front struct {
	faults  Injector
	answer  http.Handler // the agency's own answers
	handler http.Handler // answer behind fault injection (and Memo)
}

// Answer sets the handler that answers when no fault is injected.
func (f *Front) Answer(h http.HandlerFunc) { f.answer, f.handler = h, f.faults.Wrap(h) }

// ServeHTTP answers one request, injecting the fault set, if any.
func (f *Front) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if f.handler == nil {
		http.Error(w, "simulator has no answering handler", http.StatusInternalServerError)
		return
	}
	f.handler.ServeHTTP(w, r)
}

// Faults is the simulator's fault injector.
func (f *Front) Faults() *Injector { return &f.faults }
