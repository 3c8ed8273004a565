package lookup

import (
	"fmt"
	"strings"
	"time"
)

// Reason is why a question was refused before any agency was asked.
type Reason string

// The reasons a question is refused, for the interfaces' status codes and
// the audit record.
const (
	// ReasonIdentity: the caller has no certificate naming an organisation.
	ReasonIdentity Reason = "identity"
	// ReasonRights: the caller may not ask for this ingivare (not connected,
	// not its registered ombud, or an iip Address naming someone else).
	ReasonRights Reason = "rights"
	// ReasonValidation: a field breaks the contract's rules (length, form).
	ReasonValidation Reason = "validation"
	// ReasonSamePerson: a caller-supplied agency question is about another
	// person than the question's personidentitet.
	ReasonSamePerson Reason = "same-person"
	// ReasonPeriod: a period of the question (the general one, an agency's
	// own, the LEFI question's, an SKV year) lies outside PeriodBounds:
	// OGILTIGTIDSPERIOD.
	ReasonPeriod Reason = "period"
	// ReasonQuota: the ingivare has used its questions for the day.
	ReasonQuota Reason = "quota"
	// ReasonOverload: the gateway has as many lookups in flight as it
	// takes (WithMaxLookups).
	ReasonOverload Reason = "overload"
	// ReasonBusy: the sender already has as many lookups in flight as one
	// caller may (WithCallerLimit).
	ReasonBusy Reason = "busy"
)

// Violation is one bad field, by its path in the question ("fraga.syfte").
type Violation struct {
	Field, Description string
}

// Refusal is a whole question refused by the lookup service. Its Message
// and Violations are safe to show the caller: they never hold personal data.
type Refusal struct {
	Reason     Reason
	Message    string
	Violations []Violation
	// RetryAfter is, for ReasonQuota, when the quota opens again.
	RetryAfter time.Duration
	// Err is the cause, for logs.
	Err error
}

func (r *Refusal) Error() string {
	msg := string(r.Reason) + ": " + r.Message
	for _, v := range r.Violations {
		msg += "; " + v.Field + ": " + v.Description
	}
	if r.Err != nil {
		msg += fmt.Sprintf(" (%v)", r.Err)
	}
	return msg
}

func (r *Refusal) Unwrap() error { return r.Err }

// The SOAP fault codes of whole-request failures (DESIGN §2).
const (
	FelkodOgiltigFraga = "1001"
	FelkodEjBehorig    = "1002"
	FelkodInterntFel   = "1003"
	FelkodKvot         = "1004"
)

// Felkod is the SSBTEK fault code of the refusal: 1001 for a question that
// breaks the rules, 1002 for a caller without the right, 1004 for a spent quota or a
// caller over its share of lookups in flight.
func (r *Refusal) Felkod() string {
	switch r.Reason {
	case ReasonValidation, ReasonSamePerson, ReasonPeriod:
		return FelkodOgiltigFraga
	case ReasonQuota, ReasonBusy:
		return FelkodKvot
	case ReasonOverload:
		return FelkodInterntFel
	default:
		return FelkodEjBehorig
	}
}

// Text is the refusal as one caller-facing line, violations included.
func (r *Refusal) Text() string {
	parts := []string{r.Message}
	for _, v := range r.Violations {
		parts = append(parts, v.Field+": "+v.Description)
	}
	return strings.Join(parts, "; ")
}

func refuse(reason Reason, format string, args ...any) *Refusal {
	return &Refusal{Reason: reason, Message: fmt.Sprintf(format, args...)}
}
