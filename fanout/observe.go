package fanout

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"
	"go.opentelemetry.io/otel/trace/noop"

	"github.com/ssbtek/gateway/bastjanst"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
	"github.com/ssbtek/gateway/redact"
)

// Observer is told what the core does, for metrics. Package metrics
// implements it with Prometheus; nil in Config means nobody listens.
// Methods are called from many goroutines at once.
type Observer interface {
	// Done is one finished agency call (question, not ping) with its result;
	// a result with felkod 2006 is the caller's cancellation, not the agency's.
	Done(b ssbtekv1.Bastjanst, res *ssbtekv1.BastjanstResultat, took time.Duration)
	// InFlight moves the number of calls holding one of b's slots by delta.
	InFlight(b ssbtekv1.Bastjanst, delta int)
	// BreakerState reports b's breaker entering "closed", "half-open" or "open".
	BreakerState(b ssbtekv1.Bastjanst, state string)
	// Retried counts one retry of a call to b.
	Retried(b ssbtekv1.Bastjanst)
}

type nopObserver struct{}

func (nopObserver) Done(ssbtekv1.Bastjanst, *ssbtekv1.BastjanstResultat, time.Duration) {}
func (nopObserver) InFlight(ssbtekv1.Bastjanst, int)                                    {}
func (nopObserver) BreakerState(ssbtekv1.Bastjanst, string)                             {}
func (nopObserver) Retried(ssbtekv1.Bastjanst)                                          {}

// Span and attribute names, for dashboards and tests.
const (
	SpanLookup  = "ssbtek.lookup"
	SpanAgency  = "ssbtek.agency"
	SpanTesta   = "ssbtek.testa"
	AttrKorrID  = "ssbtek.korrelationsid_digest"
	AttrAgency  = "ssbtek.bastjanst"
	AttrKalla   = "ssbtek.kalla"
	AttrFelkod  = "ssbtek.felkod"
	AttrStatus  = "ssbtek.status"
	AttrTries   = "ssbtek.tries"
	AttrAgencys = "ssbtek.bastjanster"
)

// telemetry is the core's tracer, logger and observer, never nil.
type telemetry struct {
	tracer trace.Tracer
	obs    Observer
	log    *slog.Logger
	level  slog.Level
	digest func(string) string
}

func newTelemetry(cfg Config) telemetry {
	t := telemetry{obs: cfg.Observer, log: cfg.Log, level: cfg.CauseLevel, digest: cfg.Digest}
	if cfg.Tracer != nil {
		t.tracer = cfg.Tracer.Tracer("github.com/ssbtek/gateway/fanout")
	} else {
		t.tracer = noop.NewTracerProvider().Tracer("")
	}
	if t.obs == nil {
		t.obs = nopObserver{}
	}
	if t.log == nil {
		t.log = slog.New(slog.DiscardHandler)
	}
	if t.digest == nil {
		// Never a bare or absent digest: a process-lifetime key at least.
		t.digest = redact.RandomDigester().Digest
	}
	return t
}

// startLookup opens the span of one lookup. The korrelationsid is the
// caller's free text and may be a personnummer: only its keyed digest goes
// on the span.
func (t telemetry) startLookup(ctx context.Context, f *ssbtekv1.Fraga, n int) (context.Context, trace.Span) {
	return t.tracer.Start(ctx, SpanLookup, trace.WithAttributes(
		attribute.String(AttrKorrID, t.digest(f.GetKorrelationsid())),
		attribute.Int(AttrAgencys, n),
	))
}

func (t telemetry) startAgency(ctx context.Context, b ssbtekv1.Bastjanst) (context.Context, trace.Span) {
	return t.tracer.Start(ctx, SpanAgency, trace.WithAttributes(attribute.String(AttrAgency, bastjanst.Kod(b))))
}

// endAgency closes an agency's span with its outcome and logs the cause of
// a failure, scrubbed of identifiers: Error.Err is the only trace of why a
// 2002 happened, and it may quote what the agency or the network said.
func (t telemetry) endAgency(ctx context.Context, span trace.Span, res *ssbtekv1.BastjanstResultat, tries int, cause error) {
	span.SetAttributes(attribute.String(AttrStatus, res.GetStatus().GetKod().String()), attribute.Int(AttrTries, tries))
	if f := res.GetFel(); f != nil {
		span.SetAttributes(attribute.String(AttrKalla, f.GetKalla().String()), attribute.String(AttrFelkod, f.GetFelkod()))
		if f.GetKalla() == ssbtekv1.Kalla_KALLA_SSBT {
			span.SetStatus(codes.Error, f.GetFelkod())
		}
	}
	span.End()
	if cause == nil {
		return
	}
	felkod := res.GetFel().GetFelkod()
	var e *bastjanst.Error
	if errors.As(cause, &e) {
		felkod = e.Felkod
	}
	t.log.Log(ctx, t.level, "agency error",
		slog.String("bastjanst", bastjanst.Kod(res.GetBastjanst())),
		slog.String("felkod", felkod),
		slog.Int("tries", tries),
		slog.String("cause", redact.Identifiers(cause.Error())),
	)
}
