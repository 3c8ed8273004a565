// Package legacy is the SSBTEK SOAP shim: a drop-in replacement for the
// SSBTEK endpoint, so existing clients switch by changing only the URL.
//
// It speaks SOAP 1.1 document/literal: hamtaBastjanstInformation and
// testaBastjanstInformation in every contract version 1-11, each in its
// version's shape, and v1 also in the namespace of seed 000's appendix WSDL;
// answers in the namespace the request used; and funnels every question
// into the one lookup service. Agency answers are embedded as their adapters
// declare, without parsing them again. It serves its WSDL at ?wsdl (v10;
// ?wsdl=N for the others) and its XSDs at ?xsd=name. Mount it on the
// gateway's HTTP mux:
//
//	mux.Handle(legacy.Path, legacy.NewHandler(svc, legacy.Config{Logger: log}))
package legacy

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/http"
	"regexp"
	"strconv"
	"time"

	"github.com/ssbtek/gateway/adapters/soap"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
	"github.com/ssbtek/gateway/lookup"
)

// Path is where the shim answers; mount the handler there.
const Path = "/ssbtek"

// Defaults for Config.
const (
	DefaultMaxBody  = 1 << 20
	DefaultMaxDepth = 32
	// DefaultMaxAttrs bounds the attributes (namespace declarations
	// included) of one element: a request of the contract carries one or
	// two (inkludera, a declaration), an envelope some namespaces.
	DefaultMaxAttrs = 32
	// DefaultMaxTokens bounds the tokens of a request: one with every
	// agency, FK's fraga and every optional element has about 200.
	DefaultMaxTokens = 10000
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
	// MaxAttrs bounds the attributes of one element, and its namespace
	// declarations alike (DefaultMaxAttrs).
	MaxAttrs int
	// MaxTokens bounds the tokens of a request (DefaultMaxTokens). With
	// MaxAttrs and MaxBody it makes a request's parsing cost linear in its
	// size and bounded.
	MaxTokens int
	// PublicURL is the endpoint's URL as clients reach it (e.g.
	// https://ssbtek.example.se/ssbtek), written into the WSDL's soap:address
	// and schema locations. Empty means the listener's own address; the
	// request's Host header is never used, so a caller cannot choose what
	// the WSDL points at.
	PublicURL string
	// Logger receives one line per request, never with personal data; nil
	// discards.
	Logger *slog.Logger
}

// limits are the XML reader's bounds for a request.
func (c Config) limits() soap.Limits {
	or := func(v, def int) int {
		if v > 0 {
			return v
		}
		return def
	}
	attrs := or(c.MaxAttrs, DefaultMaxAttrs)
	return soap.Limits{MaxDepth: or(c.MaxDepth, DefaultMaxDepth), MaxAttrs: attrs, MaxNamespaces: attrs, MaxTokens: or(c.MaxTokens, DefaultMaxTokens)}
}

type handler struct {
	svc  *lookup.Service
	cfg  Config
	log  *slog.Logger
	docs *documents
}

// NewHandler returns the SOAP shim over svc, serving POST and GET on Path.
func NewHandler(svc *lookup.Service, cfg Config) http.Handler {
	if cfg.MaxBody <= 0 {
		cfg.MaxBody = DefaultMaxBody
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	h := &handler{svc: svc, cfg: cfg, log: log, docs: newDocuments()}
	mux := http.NewServeMux()
	mux.HandleFunc("POST "+Path, h.serveSOAP)
	mux.HandleFunc("GET "+Path, h.serveDocs)
	return mux
}

// outcome is what one request came to, for the log and the response.
type outcome struct {
	ver                    *version
	op                     operation
	status                 int
	felkod, faultcode, msg string
	err                    error // the cause of an internal error, for the log only
	// retryAfter is, for a refusal that passes (quota, busy, overload),
	// when to ask again: the Retry-After header.
	retryAfter time.Duration
}

func (h *handler) serveSOAP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	enc := getEncoder()
	out := h.respond(r.Context(), w, r, enc)
	if out.felkod != "" {
		ns := versionByName("10").ns
		if out.ver != nil {
			ns = out.ver.ns
		}
		enc.fault(ns, out.op, out.faultcode, out.felkod, out.msg)
		out.status = http.StatusInternalServerError
	}
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	if out.retryAfter > 0 {
		w.Header().Set("Retry-After", strconv.FormatInt(max(int64(math.Ceil(out.retryAfter.Seconds())), 1), 10))
	}
	w.WriteHeader(out.status)
	w.Write(enc.b)
	// A Writer keeps no part of what it was given (io.Writer's rule).
	putEncoder(enc)
	h.logOutcome(r.Context(), out, time.Since(start))
}

// respond reads the request, asks the lookup service and writes the answer
// into enc; a fault is returned as felkod and message.
func (h *handler) respond(ctx context.Context, w http.ResponseWriter, r *http.Request, enc *encoder) (out outcome) {
	req := &request{}
	defer func() {
		if p := recover(); p != nil {
			out = outcome{ver: req.ver, op: req.op, felkod: FelkodInterntFel, faultcode: faultServer,
				msg: "Internt fel", err: fmt.Errorf("panic: %v", p)}
		}
	}()
	// Who asks is settled before the body is read: a caller without an
	// organisation costs no reading and no parsing, whatever it sends.
	if err := h.svc.Authenticate(ctx); err != nil {
		h.svc.Refused(ctx, h.lookupRequest(req), string(lookup.ReasonIdentity))
		return h.internal(outcome{}, err)
	}
	body, err := h.readBody(w, r)
	if err != nil {
		return h.refuse(ctx, req, &requestError{faultcode: faultClient, problem: err.Error()})
	}
	req, err = decodeRequest(body, r.Header.Get("Content-Type"), h.cfg.limits())
	if err != nil {
		var re *requestError
		if !errors.As(err, &re) {
			re = &requestError{faultcode: faultClient, problem: "förfrågan kunde inte tolkas"}
		}
		return h.refuse(ctx, req, re)
	}
	out = outcome{ver: req.ver, op: req.op, status: http.StatusOK}
	switch req.op {
	case opTesta:
		svar, err := h.svc.Testa(ctx)
		if err != nil {
			return h.internal(out, err)
		}
		enc.testAnswer(req.ver, svar)
	case opHamta:
		// A question that includes no agency still goes through the lookup
		// service, which checks who asks and records it, and asks nobody.
		// The contract's answer holds the agencies' results alone.
		res, err := h.svc.Resultat(ctx, h.lookupRequest(req))
		if err != nil {
			return h.internal(out, err)
		}
		enc.answer(req, res)
	}
	return out
}

// lookupRequest is req as the lookup service takes it: as much of the
// question as was decoded (nothing when it was not reached).
func (h *handler) lookupRequest(req *request) lookup.Request {
	f := &ssbtekv1.Fraga{}
	if req.op == opHamta && req.root != nil {
		f = req.fraga()
	}
	return lookup.Request{
		Caller:            lookup.Caller{Interface: "soap", Customer: req.customer},
		Fraga:             f,
		ExplicitSelection: true,
	}
}

// refuse answers fault 1001 for a request that breaks the contract, and has
// the lookup service record the refusal with its reason, as the modern
// interfaces do for their own checks: what was decoded of the question
// before the problem, and the problem, which names elements, never values,
// after VALIDERINGSFEL, as the modern API's status names such a refusal.
func (h *handler) refuse(ctx context.Context, req *request, re *requestError) outcome {
	h.svc.Refused(ctx, h.lookupRequest(req), "VALIDERINGSFEL: "+digitRuns.ReplaceAllString(re.problem, "***"))
	return outcome{ver: req.ver, op: req.op, felkod: FelkodOgiltigFraga, faultcode: re.faultcode, msg: ogiltigFraga + ": " + re.problem}
}

func (h *handler) internal(out outcome, err error) outcome {
	// A question the lookup service refused is the caller's fault (1001,
	// 1002, 1004), not ours.
	var r *lookup.Refusal
	if errors.As(err, &r) {
		out.felkod, out.faultcode, out.msg, out.retryAfter = r.Felkod(), faultClient, r.Text(), r.RetryAfter
		if r.Reason == lookup.ReasonOverload {
			// The gateway's load, not the caller's question (fault 1003).
			out.faultcode = faultServer
		}
		if out.felkod == FelkodOgiltigFraga {
			out.msg = ogiltigFraga + ": " + r.Text()
		}
		return out
	}
	out.felkod, out.faultcode, out.msg, out.err = FelkodInterntFel, faultServer, "Internt fel, försök igen senare", err
	return out
}

// readBody reads the request body up to the configured limit. The buffer
// grows with what arrives, never with what Content-Length declares: a slow
// client declaring a megabyte holds only what it has sent.
func (h *handler) readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	limit := h.cfg.MaxBody
	tooLarge := fmt.Errorf("förfrågan är större än %d KiB", limit>>10)
	if r.ContentLength > limit {
		return nil, tooLarge
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	var overLimit *http.MaxBytesError
	switch {
	case errors.As(err, &overLimit):
		return nil, tooLarge
	case err != nil:
		return nil, errors.New("förfrågan kunde inte läsas")
	}
	return body, nil
}

// digitRuns finds what could be a personnummer in text bound for the log.
var digitRuns = regexp.MustCompile(`\d{6,}`)

func (h *handler) logOutcome(ctx context.Context, out outcome, elapsed time.Duration) {
	op := [...]string{opUnknown: "okänd", opHamta: "hamtaBastjanstInformation", opTesta: "testaBastjanstInformation"}[out.op]
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
