package lookup

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/ssbtek/gateway/audit"
	"github.com/ssbtek/gateway/bastjanst"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
	"github.com/ssbtek/gateway/identity"
)

// Auditor commits the record of one question durably. *audit.Log is one.
type Auditor interface {
	Append(ctx context.Context, rec *audit.Record) error
}

// ErrAuditUnavailable is returned when the record of a lookup could not be
// committed: the answer is withheld (fail closed), and the interface says
// UNAVAILABLE / 503 / SOAP fault 1003.
var ErrAuditUnavailable = errors.New("audit log unavailable, answer withheld")

// SetAuditor makes s record every lookup with a before releasing its
// answer. Without one (tests of other concerns) nothing is recorded.
func (s *Service) SetAuditor(a Auditor) { s.audit = a }

// record commits the record of req and its results (none for a refusal,
// which then carries its reason).
func (s *Service) record(ctx context.Context, req Request, party identity.Party, start time.Time, res []*ssbtekv1.BastjanstResultat, refusal string) error {
	if s.audit == nil {
		return nil
	}
	rec := newRecord(req, party, start)
	rec.Refusal = refusal
	if refusal == "" {
		rec.Agencies, rec.SkyddadIdentitet = audit.Outcomes(res)
	}
	return s.commit(ctx, req, &rec)
}

// recordOpening commits a stream's opening record: the question and the
// agencies about to be asked, without outcomes.
func (s *Service) recordOpening(ctx context.Context, req Request, party identity.Party, start time.Time, asked []ssbtekv1.Bastjanst) error {
	if s.audit == nil {
		return nil
	}
	rec := newRecord(req, party, start)
	rec.StreamOpening = true
	for _, b := range asked {
		rec.Agencies = append(rec.Agencies, audit.Outcome{Bastjanst: bastjanst.Kod(b)})
	}
	return s.commit(ctx, req, &rec)
}

// commit appends rec, or logs why it could not and returns
// ErrAuditUnavailable: the caller then withholds the answer.
func (s *Service) commit(ctx context.Context, req Request, rec *audit.Record) error {
	if err := s.audit.Append(ctx, rec); err != nil {
		// The error of a store names no personal data (it is about the
		// database); the digest finds the question's other lines.
		s.log.ErrorContext(ctx, "audit record not committed, answer withheld",
			slog.String("interface", req.Caller.Interface),
			slog.String("korrelationsid_digest", s.digest(req.Fraga.GetKorrelationsid())),
			slog.String("error", err.Error()))
		return fmt.Errorf("%w: %v", ErrAuditUnavailable, err)
	}
	return nil
}

// Refused records a question an interface refused before it reached the
// lookup service (its own contract's checks), with the reason. The refusal
// stands whether or not the record could be written: it releases nothing.
func (s *Service) Refused(ctx context.Context, req Request, reason string) {
	party := identity.Party{Ingivare: req.Fraga.GetOrganisationsnummer()}
	if c, err := identity.FromContext(ctx); err == nil {
		party.Sender = c
	}
	_ = s.record(ctx, req, party, s.now(), nil, reason)
}

// refusalReason is what the record keeps of a refusal: its kind and the
// fields it names, never their values.
func refusalReason(err error) string {
	var r *Refusal
	if !errors.As(err, &r) {
		return "internal"
	}
	reason := string(r.Reason)
	for i, v := range r.Violations {
		if i == 0 {
			reason += ":"
		} else {
			reason += ","
		}
		reason += " " + v.Field
	}
	return reason
}

// newRecord is the part of the record the question and the caller give.
// Who sent it is the certificate's caller, as the listener established it;
// the ombud is the sender when it sends for another ingivare.
func newRecord(req Request, party identity.Party, start time.Time) audit.Record {
	f := req.Fraga
	return audit.Record{
		Time:             start,
		Korrelationsid:   f.GetKorrelationsid(),
		Interface:        req.Caller.Interface,
		CertSubject:      party.Sender.Subject,
		CertSerialNumber: party.Sender.SerialNumber,
		CertFingerprint:  party.Sender.FingerprintSHA256,
		Ingivare:         f.GetOrganisationsnummer(),
		IngivareNamn:     f.GetIngivare(),
		Ombud:            party.Ombud,
		Handlaggare:      f.GetHandlaggare(),
		Arendeidentitet:  f.GetArendeidentitet(),
		Personidentitet:  f.GetPersonidentitet(),
		PeriodFrom:       f.GetPeriod().GetFrom(),
		PeriodTom:        f.GetPeriod().GetTom(),
		Syfte:            f.GetSyfte(),
		Lagtext:          f.GetLagtext(),
	}
}
