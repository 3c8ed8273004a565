package lookup

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"buf.build/go/protovalidate"
	"google.golang.org/protobuf/proto"

	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
	"github.com/ssbtek/gateway/identity"
	"github.com/ssbtek/gateway/personnummer"
	"github.com/ssbtek/gateway/quota"
	"github.com/ssbtek/gateway/rights"
)

// Option configures a Service.
type Option func(*Service)

// WithRights makes the Service demand a caller identity (from the request
// context, put there by the listener) and apply the rights file: the ingivare
// must be connected, the sender must be the ingivare or its registered ombud,
// and agencies the ingivare may not ask answer ATKOMSTNEKAD with felkod 2004.
// The gateway always runs with it; without it a Service answers anyone, which
// only tests of the interfaces want.
func WithRights(r *rights.Store) Option { return func(s *Service) { s.rights = r } }

// WithDigest sets the digest a korrelationsid is logged as
// (korrelationsid_digest): a keyed one (redact.Digester), since the field is
// the caller's free text and a bare hash of a personnummer in it is undone
// by trying every personnummer. Without it a Service keys a fresh random one.
func WithDigest(d func(string) string) Option { return func(s *Service) { s.digest = d } }

// WithQuota counts every question against its ingivare's daily quota (from
// the rights file) in c.
func WithQuota(c quota.Counter) Option { return func(s *Service) { s.quota = c } }

// Organisationsnummer turns a 10-digit organisationsnummer (also written
// NNNNNN-NNNN) into the 12-digit form ("16" + the ten digits) the rights file
// and the certificate use; any other string is returned as it is. SSBTEK's
// own iip example gives 10. The rule is personnummer.Organisationsnummer's.
func Organisationsnummer(orgnr string) string { return personnummer.Organisationsnummer(orgnr) }

// authorize settles who asks for whom: the certificate's organisation
// (identity) must be the ingivare or its registered ombud, and an iip
// Address must name the ingivare. It returns the ingivare's rights.
func (s *Service) authorize(ctx context.Context, req Request) (identity.Party, rights.Organisation, error) {
	if err := s.Authenticate(ctx); err != nil {
		return identity.Party{}, rights.Organisation{}, err
	}
	sender, _ := identity.FromContext(ctx)
	ingivare := req.Fraga.GetOrganisationsnummer()
	party := identity.Party{Sender: sender, Ingivare: ingivare}
	if c := req.Caller.Customer; c != "" && Organisationsnummer(c) != ingivare {
		return party, rights.Organisation{}, refuse(ReasonRights, "iip:Address anger en annan organisation än ingivaren")
	}
	org, ok := s.rights.Current().Organisation(ingivare)
	if !ok {
		return party, org, refuse(ReasonRights, "Ingivaren är inte ansluten till tjänsten")
	}
	if sender.Organisationsnummer != ingivare {
		if !org.HasOmbud(sender.Organisationsnummer) {
			return party, org, refuse(ReasonRights, "Avsändaren är varken ingivaren eller ett registrerat ombud för ingivaren")
		}
		party.Ombud = sender.Organisationsnummer
	}
	return party, org, nil
}

// checkFraga applies the contract's field rules (protovalidate, from the
// proto), the same-person rule and the period bounds, on every interface
// alike. The field
// rules are left out when rulesChecked: the interface has evaluated them on
// this very message, and they would give the same answer.
func (s *Service) checkFraga(f *ssbtekv1.Fraga, rulesChecked bool) error {
	if !rulesChecked {
		if err := s.checkRules(f); err != nil {
			return err
		}
	}
	if vs := samePerson(f); len(vs) > 0 {
		return &Refusal{Reason: ReasonSamePerson, Message: "En bastjänstfråga avser en annan person än frågan", Violations: vs}
	}
	if vs := s.checkPeriods(f); len(vs) > 0 {
		return &Refusal{Reason: ReasonPeriod, Message: "En period i frågan ligger utanför vad tjänsten besvarar (" + s.periods.String() + ")", Violations: vs}
	}
	return nil
}

// checkRules applies the proto's field rules (protovalidate).
func (s *Service) checkRules(f *ssbtekv1.Fraga) error {
	err := s.validator.Validate(f)
	if err == nil {
		return nil
	}
	var ve *protovalidate.ValidationError
	if !errors.As(err, &ve) {
		return fmt.Errorf("validating the question: %w", err)
	}
	var vs []Violation
	for _, x := range ve.Violations {
		vs = append(vs, Violation{Field: "fraga." + protovalidate.FieldPathString(x.Proto.GetField()), Description: x.Proto.GetMessage()})
	}
	if len(vs) > 0 {
		return &Refusal{Reason: ReasonValidation, Message: "Frågan uppfyller inte kontraktets regler", Violations: vs}
	}
	return nil
}

// takeQuota counts the question against the ingivare's quota for today.
func (s *Service) takeQuota(ctx context.Context, org rights.Organisation) error {
	if s.quota == nil {
		return nil
	}
	day, untilNext := quota.Day(s.now())
	ok, err := s.quota.Take(ctx, org.Organisationsnummer, day, org.DailyQuota)
	if err != nil {
		// The counts live in the audit database (quota/sqlquota): when
		// they cannot be written, neither can the record. Fail closed the
		// same way, a retryable UNAVAILABLE / 503 / fault 1003. The
		// database's error names no personal data.
		s.log.ErrorContext(ctx, "quota not counted, question refused", slog.String("error", err.Error()))
		return fmt.Errorf("%w: counting the question against the quota: %v", ErrAuditUnavailable, err)
	}
	if !ok {
		return &Refusal{Reason: ReasonQuota, Message: fmt.Sprintf("Ingivarens kvot om %d frågor per dag är förbrukad", org.DailyQuota), RetryAfter: untilNext}
	}
	return nil
}

// admit runs every check of a question before any agency is asked and
// returns the question to send (with the ombud the certificate settled) and
// the ingivare's rights (nil without WithRights).
func (s *Service) admit(ctx context.Context, req Request) (*ssbtekv1.Fraga, *rights.Organisation, identity.Party, error) {
	f := req.Fraga
	var party identity.Party
	var org *rights.Organisation
	if s.rights != nil {
		p, o, err := s.authorize(ctx, req)
		party = p
		if err != nil {
			return nil, nil, party, err
		}
		org = &o
		// What agencies see as the ombud is who sent, never what the caller
		// wrote: the certificate's organisation when it sends for another.
		// Most questions already say so (an ingivare sending itself, with
		// no ombud): then there is nothing to change and nothing to clone.
		if f.GetOmbud() != party.Ombud {
			f = proto.CloneOf(f)
			f.Ombud = party.Ombud
		}
		// LEFI is asked under the ingivare's own actor id, from the
		// rights file: a question naming another would see what that
		// municipality may see.
		if a := req.Fraga.GetFk().GetAktorsid(); a != "" && a != o.Aktorsid {
			err := &Refusal{Reason: ReasonValidation, Message: "Frågan anger ett annat aktörs-ID hos LEFI än ingivarens",
				Violations: []Violation{{Field: "fraga.fk.aktorsid", Description: "är inte ingivarens aktörs-ID"}}}
			return nil, nil, party, err
		}
		if f.GetFk().GetAktorsid() != o.Aktorsid {
			if f == req.Fraga {
				f = proto.CloneOf(f)
			}
			if f.Fk == nil {
				f.Fk = &ssbtekv1.FkParametrar{}
			}
			f.Fk.Aktorsid = o.Aktorsid
		}
	}
	// The ombud just set is what the caller's check did not see, unless it
	// is what the caller wrote. (The aktorsid set is the rights file's,
	// which holds it to the field's rule.)
	if err := s.checkFraga(f, req.RulesChecked && f.GetOmbud() == req.Fraga.GetOmbud()); err != nil {
		return nil, nil, party, err
	}
	if org != nil {
		if err := s.takeQuota(ctx, *org); err != nil {
			return nil, nil, party, err
		}
	}
	return f, org, party, nil
}

// Authenticate refuses a caller without identity when the Service applies
// rights, so the interfaces can say so before anything else about a request.
func (s *Service) Authenticate(ctx context.Context) error {
	if s.rights == nil {
		return nil
	}
	if _, err := identity.FromContext(ctx); err != nil {
		return &Refusal{Reason: ReasonIdentity, Message: "Anroparen saknar giltigt klientcertifikat med organisationsnummer", Err: err}
	}
	return nil
}
