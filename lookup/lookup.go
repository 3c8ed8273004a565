// Package lookup is the one lookup service that every interface (gRPC, REST,
// the legacy SOAP shim) funnels into. Cross-cutting concerns — caller
// identity and rights, quotas, the audit record, metrics, streaming — are each
// added here once, never in an interface or an adapter.
package lookup

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"log/slog"
	"time"

	"google.golang.org/protobuf/types/known/timestamppb"

	"github.com/ssbtek/gateway/bastjanst"
	"github.com/ssbtek/gateway/fanout"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
)

// Caller is who asks, as the interface established it.
type Caller struct {
	// Interface is "grpc", "rest" or "soap", for logs and audit.
	Interface string
	// Customer is, over SOAP, the iip:Iipax/iip:From/iip:Address header: the
	// organisationsnummer of the municipality an ombud sends for ("" when the
	// header is absent). It must equal the Fraga's ingivare. Who sends is
	// never taken from the request: it is the client certificate's
	// organisation, established by the listener.
	Customer string
}

// Request is one validated question.
type Request struct {
	Caller Caller
	Fraga  *ssbtekv1.Fraga
}

// Service answers questions by asking the agencies through the fan-out core.
type Service struct {
	core *fanout.Core
	log  *slog.Logger
	now  func() time.Time
}

// New returns a Service over core. A nil logger discards logs.
func New(core *fanout.Core, log *slog.Logger) *Service {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Service{core: core, log: log, now: time.Now}
}

// Sammanstallning asks the agencies the question selects (all when it names
// none) and compiles their results. The Fraga must already be validated by
// the interface, which knows its contract's rules. The returned error is
// reserved for whole-request failures (authorisation, audit, quota).
func (s *Service) Sammanstallning(ctx context.Context, req Request) (*ssbtekv1.Sammanstallning, error) {
	start := s.now()
	res := s.core.Hamta(ctx, req.Fraga, req.Fraga.GetBastjanster())
	s.logLookup(ctx, req, res, start)
	return &ssbtekv1.Sammanstallning{
		Resultat:       res,
		Korrelationsid: req.Fraga.GetKorrelationsid(),
		Besvarad:       timestamppb.New(s.now()),
	}, nil
}

// Bastjanst asks one agency.
func (s *Service) Bastjanst(ctx context.Context, req Request, b ssbtekv1.Bastjanst) (*ssbtekv1.BastjanstResultat, error) {
	start := s.now()
	res := s.core.Hamta(ctx, req.Fraga, []ssbtekv1.Bastjanst{b})
	s.logLookup(ctx, req, res, start)
	return res[0], nil
}

// Testa pings every configured agency's test service.
func (s *Service) Testa(ctx context.Context) ([]*ssbtekv1.TestSvar, error) {
	return s.core.Testa(ctx), nil
}

// logLookup logs the outcome without personal data: never the
// personidentitet, only codes, counts and times. The korrelationsid is the
// caller's free text and may hold anything, a personnummer included, so only
// its digest is logged: enough to find the lines of one question, given its
// korrelationsid, and nothing to read from them.
func (s *Service) logLookup(ctx context.Context, req Request, res []*ssbtekv1.BastjanstResultat, start time.Time) {
	attrs := []any{
		slog.String("interface", req.Caller.Interface),
		slog.String("korrelationsid_sha256", Digest(req.Fraga.GetKorrelationsid())),
		slog.Duration("elapsed", s.now().Sub(start)),
	}
	for _, r := range res {
		outcome := r.GetStatus().GetKod().String()
		if f := r.GetFel(); f != nil {
			outcome = f.GetKalla().String() + ":" + f.GetFelkod()
		}
		attrs = append(attrs, slog.String(bastjanst.Kod(r.GetBastjanst()), outcome))
	}
	s.log.InfoContext(ctx, "lookup", attrs...)
}

// Digest is a short, stable stand-in for a caller-supplied identifier in
// logs: the first 8 bytes of its SHA-256, in hex ("" for "").
func Digest(s string) string {
	if s == "" {
		return ""
	}
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:8])
}
