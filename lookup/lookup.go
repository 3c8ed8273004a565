// Package lookup is the one lookup service that every interface (gRPC, REST,
// the legacy SOAP shim) funnels into. Cross-cutting concerns — caller
// identity and rights, quotas, the audit record, metrics, streaming — are each
// added here once, never in an interface or an adapter.
package lookup

import (
	"context"
	"errors"
	"log/slog"
	"slices"
	"time"

	"buf.build/go/protovalidate"
	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/ssbtek/gateway/bastjanst"
	"github.com/ssbtek/gateway/fanout"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
	"github.com/ssbtek/gateway/identity"
	"github.com/ssbtek/gateway/inkomst"
	"github.com/ssbtek/gateway/quota"
	"github.com/ssbtek/gateway/redact"
	"github.com/ssbtek/gateway/rights"
)

// Caller is who asks, as the interface established it.
type Caller struct {
	// Interface is "grpc", "rest" or "soap", for logs and audit.
	Interface string
	// Customer is, over SOAP, the iip:Iipax/iip:From/iip:Address header: the
	// organisationsnummer of the municipality an ombud sends for ("" when the
	// header is absent). It must equal the Fraga's ingivare. Who sends is
	// never taken from the request: it is the client certificate's
	// organisation, which the listener puts in the request context
	// (identity.FromContext).
	Customer string
}

// Request is one validated question.
type Request struct {
	Caller Caller
	Fraga  *ssbtekv1.Fraga
	// ExplicitSelection makes an empty selection mean no agency rather than
	// every agency: the SOAP contract includes each agency by name.
	ExplicitSelection bool
	// RulesChecked says the interface has already checked Fraga, as it is,
	// against the proto's field rules with protovalidate and refused it
	// when it broke one (the modern API checks every request so): lookup
	// then does not evaluate the same rules (CEL, several microseconds a
	// question) on the same message again. Whoever changes Fraga afterwards
	// clears it.
	RulesChecked bool
}

// Service answers questions by asking the agencies through the fan-out core.
type Service struct {
	core      *fanout.Core
	log       *slog.Logger
	now       func() time.Time
	rights    *rights.Store
	quota     quota.Counter
	validator protovalidate.Validator
	// audit, when set, records every lookup before its answer leaves.
	audit Auditor
	// callers bounds each sender's lookups in flight (WithCallerLimit).
	callers *callerLimit
	// shed bounds the lookups in flight, all callers together.
	shed *shedder
	// periods bounds every period a question carries.
	periods PeriodBounds
	// digest is the keyed stand-in for a korrelationsid in logs.
	digest func(string) string
}

// New returns a Service over core. A nil logger discards logs. Every
// question is checked against the contract's field rules and the same-person
// rule; WithRights and WithQuota add who may ask and how often.
func New(core *fanout.Core, log *slog.Logger, opts ...Option) *Service {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Service{core: core, log: log, now: time.Now, validator: protovalidate.GlobalValidator, periods: DefaultPeriodBounds,
		shed: &shedder{max: DefaultMaxLookups}}
	for _, o := range opts {
		o(s)
	}
	if s.digest == nil {
		// A fresh key: lines of one process still correlate, and nothing
		// can be read back from them.
		s.digest = redact.RandomDigester().Digest
	}
	return s
}

// Sammanstallning asks the agencies the question selects (all when it names
// none) and compiles their results. The interface checks what only its own
// contract says (the modern API's date and Luhn checks, the SOAP XSD);
// lookup applies the rules of every interface alike: who may ask (with
// WithRights), the proto's field rules, the same-person rule and the quota
// (with WithQuota). The returned error is
// reserved for whole-request failures: a *Refusal (identity, rights,
// validation, same person, quota) when no agency was asked, or an internal
// error.
func (s *Service) Sammanstallning(ctx context.Context, req Request) (*ssbtekv1.Sammanstallning, error) {
	return s.sammanstallning(ctx, req, false)
}

// sammanstallning is Sammanstallning; stream commits a stream's opening
// record before any agency is asked (see Streama).
func (s *Service) sammanstallning(ctx context.Context, req Request, stream bool) (*ssbtekv1.Sammanstallning, error) {
	res, err := s.hamta(ctx, req, req.Fraga.GetBastjanster(), stream)
	if err != nil {
		return nil, err
	}
	return &ssbtekv1.Sammanstallning{
		Resultat:       res,
		Korrelationsid: req.Fraga.GetKorrelationsid(),
		Besvarad:       timestamppb.New(s.now()),
		// Inkomstsammanstallning is derived from the typed results alone.
		Inkomstsammanstallning: inkomst.Sammanstall(req.Fraga, res),
		Status:                 bastjanst.Sammantagen(res),
	}, nil
}

// Resultat is Sammanstallning's results alone, for an interface whose
// contract has no place for the rest (the SOAP shim): the
// Inkomstsammanstallning, derived from the results for every answer, is
// not compiled for one that would drop it. Every check, the record and the
// log line are Sammanstallning's.
func (s *Service) Resultat(ctx context.Context, req Request) ([]*ssbtekv1.BastjanstResultat, error) {
	return s.hamta(ctx, req, req.Fraga.GetBastjanster(), false)
}

// Bastjanst asks one agency.
func (s *Service) Bastjanst(ctx context.Context, req Request, b ssbtekv1.Bastjanst) (*ssbtekv1.BastjanstResultat, error) {
	res, err := s.hamta(ctx, req, []ssbtekv1.Bastjanst{b}, false)
	if err != nil {
		return nil, err
	}
	return res[0], nil
}

// hamta admits the question and asks the agencies of urval (all configured
// when empty, none with req.ExplicitSelection) that the ingivare may ask;
// the others answer ATKOMSTNEKAD with felkod 2004 without being asked. For a
// stream, whose results leave as they arrive, the record of the question (the agencies to be asked, no outcomes)
// is committed before any agency is asked, and the complete record after.
func (s *Service) hamta(ctx context.Context, req Request, urval []ssbtekv1.Bastjanst, stream bool) ([]*ssbtekv1.BastjanstResultat, error) {
	start := s.now()
	// An overloaded gateway, and a sender over its share of lookups in
	// flight, refuse before anything else, so that the refusal costs no
	// quota and the admitted lookups nothing.
	sender, _ := identity.FromContext(ctx)
	leave, err := s.shed.enter()
	if err == nil {
		var release func()
		if release, err = s.callers.enter(sender); err != nil {
			leave()
		} else {
			defer release()
			defer leave()
		}
	}
	if err != nil {
		party := identity.Party{Sender: sender, Ingivare: req.Fraga.GetOrganisationsnummer()}
		s.logRefusal(ctx, req, party, err, start)
		_ = s.record(ctx, req, party, start, nil, refusalReason(err))
		return nil, err
	}
	f, org, party, err := s.admit(ctx, req)
	if err != nil {
		s.logRefusal(ctx, req, party, err, start)
		// The refusal stands whether or not its record is written: it
		// releases nothing.
		_ = s.record(ctx, req, party, start, nil, refusalReason(err))
		return nil, err
	}
	// An empty selection is every agency (of the compiled answer), unless the interface said the
	// question selects explicitly (a SOAP question including none asks
	// nobody, and is still admitted and recorded).
	if len(urval) == 0 && !req.ExplicitSelection {
		for _, b := range bastjanst.All() {
			if s.core.Has(b) {
				urval = append(urval, b)
			}
		}
	}
	var allowed []ssbtekv1.Bastjanst
	var res []*ssbtekv1.BastjanstResultat
	for _, b := range urval {
		if org == nil || org.MayAsk(b) {
			allowed = append(allowed, b)
		} else if !slices.ContainsFunc(res, func(r *ssbtekv1.BastjanstResultat) bool { return r.GetBastjanst() == b }) {
			res = append(res, denied(b))
		}
	}
	if stream {
		if err := s.recordOpening(ctx, req, party, start, allowed); err != nil {
			return nil, err
		}
	}
	// An empty selection would mean every agency to the core.
	if len(allowed) > 0 {
		res = append(res, s.core.Hamta(ctx, f, allowed)...)
	}
	slices.SortFunc(res, func(a, b *ssbtekv1.BastjanstResultat) int { return int(a.GetBastjanst()) - int(b.GetBastjanst()) })
	s.logLookup(ctx, req, party, res, start)
	// The record is committed before any answer leaves (fail closed).
	if err := s.record(ctx, req, party, start, res, ""); err != nil {
		return nil, err
	}
	return res, nil
}

// denied is the result of an agency the ingivare has no right to ask, such
// as Transportstyrelsen without its medgivande.
func denied(b ssbtekv1.Bastjanst) *ssbtekv1.BastjanstResultat {
	fel := bastjanst.FelFor(bastjanst.NotAuthorised(nil))
	return &ssbtekv1.BastjanstResultat{
		Bastjanst: b,
		Status:    &ssbtekv1.Status{Kod: ssbtekv1.StatusKod_STATUS_KOD_ATKOMSTNEKAD, Meddelande: fel.GetFelmeddelande()},
		Fel:       fel,
	}
}

// Testa pings every configured agency's test service.
// With rights applied, only a caller with identity may.
func (s *Service) Testa(ctx context.Context) ([]*ssbtekv1.TestSvar, error) {
	if err := s.Authenticate(ctx); err != nil {
		return nil, err
	}
	return s.core.Testa(ctx), nil
}

// logLookup logs the outcome without personal data: never the
// personidentitet, only codes, counts and times. The korrelationsid is the
// caller's free text and may hold anything, a personnummer included, so only
// its digest is logged: enough to find the lines of one question, given its
// korrelationsid, and nothing to read from them.
// Organisationsnummer are an organisation's, never a person's, and are logged.
//
// The line is built only when it will be written, and as slog.Attrs
// (LogAttrs) rather than ...any, which boxes every attribute: it is written
// once per lookup.
func (s *Service) logLookup(ctx context.Context, req Request, party identity.Party, res []*ssbtekv1.BastjanstResultat, start time.Time) {
	if !s.log.Enabled(ctx, slog.LevelInfo) {
		return
	}
	attrs := s.logAttrs(req, party, start, len(res))
	for _, r := range res {
		outcome := r.GetStatus().GetKod().String()
		if f := r.GetFel(); f != nil {
			outcome = f.GetKalla().String() + ":" + f.GetFelkod()
		}
		attrs = append(attrs, slog.String(bastjanst.Kod(r.GetBastjanst()), outcome))
	}
	s.log.LogAttrs(ctx, slog.LevelInfo, "lookup", attrs...)
}

// logAttrs are the attributes every lookup line has, with room for extra
// more attributes.
func (s *Service) logAttrs(req Request, party identity.Party, start time.Time, extra int) []slog.Attr {
	attrs := make([]slog.Attr, 0, 6+extra)
	attrs = append(attrs,
		slog.String("interface", req.Caller.Interface),
		slog.String("korrelationsid_digest", s.digest(req.Fraga.GetKorrelationsid())),
		slog.Duration("elapsed", s.now().Sub(start)),
	)
	if party.Sender.Organisationsnummer != "" {
		attrs = append(attrs, slog.String("sender", party.Sender.Organisationsnummer), slog.String("ingivare", party.Ingivare))
		if party.Ombud != "" {
			attrs = append(attrs, slog.String("ombud", party.Ombud))
		}
	}
	return attrs
}

// logRefusal logs a refused question by its reason; the refusal's texts
// name fields, never their values.
func (s *Service) logRefusal(ctx context.Context, req Request, party identity.Party, err error, start time.Time) {
	var r *Refusal
	if !errors.As(err, &r) {
		attrs := s.logAttrs(req, party, start, 1)
		s.log.LogAttrs(ctx, slog.LevelError, "lookup failed", append(attrs, slog.String("error", err.Error()))...)
		return
	}
	attrs := s.logAttrs(req, party, start, 1+len(r.Violations))
	attrs = append(attrs, slog.String("refused", string(r.Reason)))
	for _, v := range r.Violations {
		attrs = append(attrs, slog.String("field", v.Field))
	}
	s.log.LogAttrs(ctx, slog.LevelWarn, "lookup refused", attrs...)
}
