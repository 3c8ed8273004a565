// Package legacy is the SSBTEK SOAP shim: a drop-in replacement for the
// SSBTEK endpoint, so existing clients switch by changing only the URL.
//
// It speaks SOAP 1.1 document/literal (operations hamtaBastjanstInformation
// and testaBastjanstInformation) in the contract versions 1, 10 and 11,
// answers in the namespace the request used, and funnels every question
// into the one lookup service. It serves its WSDL at ?wsdl and its XSDs at
// ?xsd=name. Mount it on the gateway's HTTP mux:
//
//	mux.Handle(legacy.Path, legacy.NewHandler(svc, legacy.Config{Logger: log}))
package legacy

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"regexp"
	"sync"
	"time"

	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
	"github.com/ssbtek/gateway/lookup"
)

// Path is where the shim answers; mount the handler there.
const Path = "/ssbtek"

// Defaults for Config.
const (
	DefaultMaxBody  = 1 << 20
	DefaultMaxDepth = 32
)

// Whole-request fault codes (DESIGN §2).
const (
	FelkodOgiltigFraga = "1001" // the request could not be parsed or is invalid
	FelkodEjBehorig    = "1002" // the caller may not ask for this ingivare
	FelkodInterntFel   = "1003" // internal error
	FelkodKvot         = "1004" // quota exceeded
)

// The caller-facing text of fault 1001, as SSBTEK words it; the problem
// found follows it.
const ogiltigFraga = "Förfrågan kunde inte tolkas. Fel har uppstått vid validering av förfrågan"

// Config tunes the shim. Zero values mean the defaults.
type Config struct {
	// MaxBody bounds a request's size in bytes (DefaultMaxBody).
	MaxBody int64
	// MaxDepth bounds the nesting of elements in a request (DefaultMaxDepth).
	MaxDepth int
	// Logger receives one line per request, never with personal data; nil
	// discards.
	Logger *slog.Logger
}

type handler struct {
	svc  *lookup.Service
	cfg  Config
	log  *slog.Logger
	docs *documents
	mux  *http.ServeMux
	pool sync.Pool // *exchange
}

// exchange is the reusable state of one request.
type exchange struct {
	body []byte
	dec  decoder
	enc  encoder
}

// NewHandler returns the SOAP shim over svc, serving POST and GET on Path.
func NewHandler(svc *lookup.Service, cfg Config) http.Handler {
	if cfg.MaxBody <= 0 {
		cfg.MaxBody = DefaultMaxBody
	}
	if cfg.MaxDepth <= 0 {
		cfg.MaxDepth = DefaultMaxDepth
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	h := &handler{svc: svc, cfg: cfg, log: log, docs: newDocuments(), mux: http.NewServeMux()}
	h.pool.New = func() any { return new(exchange) }
	h.routes()
	return h.mux
}

func (h *handler) routes() {
	h.mux.HandleFunc("POST "+Path, h.serveSOAP)
	h.mux.HandleFunc("GET "+Path, h.serveDocs)
}

// outcome is what one request came to, for the log and the response.
type outcome struct {
	ver       *version
	op        operation
	status    int
	felkod    string
	faultcode string
	msg       string
	err       error // the cause of an internal error, for the log only
}

func (h *handler) serveSOAP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	x := h.pool.Get().(*exchange)
	defer h.release(x)
	out := h.respond(r.Context(), w, r, x)
	if out.felkod != "" {
		ns := versionByName("10").ns
		if out.ver != nil {
			ns = out.ver.ns
		}
		x.enc.fault(ns, out.op, out.faultcode, out.felkod, out.msg)
		out.status = http.StatusInternalServerError
	}
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	w.WriteHeader(out.status)
	w.Write(x.enc.b)
	h.logOutcome(r.Context(), out, time.Since(start))
}

// respond reads the request, asks the lookup service and writes the answer
// into x.enc; a fault is returned as felkod and message.
func (h *handler) respond(ctx context.Context, w http.ResponseWriter, r *http.Request, x *exchange) (out outcome) {
	defer func() {
		if p := recover(); p != nil {
			out = outcome{ver: x.dec.ver, op: x.dec.op, felkod: FelkodInterntFel, faultcode: faultServer,
				msg: "Internt fel", err: fmt.Errorf("panic: %v", p)}
		}
	}()
	body, err := h.readBody(w, r, x)
	if err != nil {
		return outcome{felkod: FelkodOgiltigFraga, faultcode: faultClient, msg: ogiltigFraga + ": " + err.Error()}
	}
	d := &x.dec
	d.reset(h.cfg.MaxDepth)
	if err := d.decode(body, r.Header.Get("Content-Type")); err != nil {
		var re *requestError
		if !errors.As(err, &re) {
			re = &requestError{faultcode: faultClient, problem: err.Error()}
		}
		return outcome{ver: d.ver, op: d.op, felkod: FelkodOgiltigFraga, faultcode: re.faultcode, msg: ogiltigFraga + ": " + re.problem}
	}
	out = outcome{ver: d.ver, op: d.op, status: http.StatusOK}
	switch d.op {
	case opTesta:
		svar, err := h.svc.Testa(ctx)
		if err != nil {
			return h.internal(out, err)
		}
		x.enc.testAnswer(d.ver, svar)
	case opHamta:
		var res []*ssbtekv1.BastjanstResultat
		if f := d.fraga(); len(f.GetBastjanster()) > 0 {
			// A question that includes no agency is answered empty: the lookup
			// service would read an empty selection as all of them.
			s, err := h.svc.Sammanstallning(ctx, lookup.Request{
				Caller: lookup.Caller{Interface: "soap", Customer: d.ombud},
				Fraga:  f,
			})
			if err != nil {
				return h.internal(out, err)
			}
			res = s.GetResultat()
		}
		x.enc.answer(d, res)
	}
	return out
}

func (h *handler) internal(out outcome, err error) outcome {
	// A question the lookup service refused is the caller's fault (1001,
	// 1002, 1004), not ours.
	var r *lookup.Refusal
	if errors.As(err, &r) {
		out.felkod, out.faultcode, out.msg = r.Felkod(), faultClient, r.Text()
		if out.felkod == FelkodOgiltigFraga {
			out.msg = ogiltigFraga + ": " + r.Text()
		}
		return out
	}
	out.felkod, out.faultcode, out.msg, out.err = FelkodInterntFel, faultServer, "Internt fel, försök igen senare", err
	return out
}

// errTooLarge is the problem reported for a body over the limit.
type errTooLarge struct{ limit int64 }

func (e errTooLarge) Error() string {
	return fmt.Sprintf("förfrågan är större än %d KiB", e.limit>>10)
}

// readBody reads the request body into x.body, up to the configured limit.
func (h *handler) readBody(w http.ResponseWriter, r *http.Request, x *exchange) ([]byte, error) {
	limit := h.cfg.MaxBody
	if r.ContentLength > limit {
		return nil, errTooLarge{limit}
	}
	// The pooled buffer keeps its capacity from request to request.
	buf := bytes.NewBuffer(x.body[:0])
	if r.ContentLength > 0 {
		buf.Grow(int(r.ContentLength))
	}
	_, err := buf.ReadFrom(http.MaxBytesReader(w, r.Body, limit))
	x.body = buf.Bytes()
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return nil, errTooLarge{limit}
		}
		return nil, fmt.Errorf("förfrågan kunde inte läsas")
	}
	return x.body, nil
}

// maxPooled keeps one outsized request from pinning its buffers.
const maxPooled = 4 << 20

func (h *handler) release(x *exchange) {
	if cap(x.body) > maxPooled || cap(x.enc.b) > maxPooled || cap(x.dec.buf) > maxPooled {
		return
	}
	x.dec.nodes = x.dec.nodes[:0]
	x.dec.ver = nil
	h.pool.Put(x)
}

// digitRuns finds what could be a personnummer in text bound for the log.
var digitRuns = regexp.MustCompile(`\d{6,}`)

func (h *handler) logOutcome(ctx context.Context, out outcome, elapsed time.Duration) {
	op := "okänd"
	switch out.op {
	case opHamta:
		op = "hamtaBastjanstInformation"
	case opTesta:
		op = "testaBastjanstInformation"
	}
	attrs := []slog.Attr{slog.String("operation", op), slog.Duration("elapsed", elapsed)}
	if out.ver != nil {
		attrs = append(attrs, slog.String("version", out.ver.name))
	}
	level := slog.LevelInfo
	if out.felkod != "" {
		level = slog.LevelWarn
		attrs = append(attrs, slog.String("felkod", out.felkod), slog.String("problem", digitRuns.ReplaceAllString(out.msg, "***")))
	}
	if out.err != nil {
		level = slog.LevelError
		attrs = append(attrs, slog.String("error", digitRuns.ReplaceAllString(out.err.Error(), "***")))
	}
	h.log.LogAttrs(ctx, level, "ssbtek soap", attrs...)
}
