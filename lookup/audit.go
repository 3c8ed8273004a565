package lookup

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"
	"unicode/utf8"

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
	rec.Refusal = cut(refusal)
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
//
// Every field is cut at MaxRecordedField bytes: a refused question may carry
// anything (a 1 MB syfte), and its record must not grow the log by as much.
// An admitted question's fields are within their rules, and never cut.
func newRecord(req Request, party identity.Party, start time.Time) audit.Record {
	f := req.Fraga
	return audit.Record{
		Time:             start,
		Korrelationsid:   cut(f.GetKorrelationsid()),
		Interface:        cut(req.Caller.Interface),
		CertSubject:      cut(party.Sender.Subject),
		CertSerialNumber: cut(party.Sender.SerialNumber),
		CertFingerprint:  cut(party.Sender.FingerprintSHA256),
		Ingivare:         cut(f.GetOrganisationsnummer()),
		IngivareNamn:     cut(f.GetIngivare()),
		Ombud:            cut(party.Ombud),
		Handlaggare:      cut(f.GetHandlaggare()),
		Arendeidentitet:  cut(f.GetArendeidentitet()),
		Personidentitet:  cut(f.GetPersonidentitet()),
		PeriodFrom:       cut(f.GetPeriod().GetFrom()),
		PeriodTom:        cut(f.GetPeriod().GetTom()),
		Syfte:            cut(f.GetSyfte()),
		Lagtext:          cut(f.GetLagtext()),
	}
}

// MaxRecordedField is the most bytes of one field an audit record keeps:
// above the longest any admitted question may have (syfte and lagtext,
// 1 000 characters of up to 4 bytes each).
const MaxRecordedField = 4096

// cut keeps s when it fits MaxRecordedField, else its first bytes up to a
// whole character and a mark saying how many bytes were left out.
func cut(s string) string {
	if len(s) <= MaxRecordedField {
		return s
	}
	keep := MaxRecordedField
	for keep > 0 && !utf8.RuneStart(s[keep]) {
		keep--
	}
	return s[:keep] + fmt.Sprintf("…[avkortat: %d byte till]", len(s)-keep)
}
