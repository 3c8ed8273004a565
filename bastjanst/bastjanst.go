// Package bastjanst holds what every agency adapter shares with the rest of the
// gateway: the Adapter interface, the gateway's own per-agency error codes and
// the small helpers that turn an outcome into a BastjanstResultat. It knows no
// XML, no HTTP and no particular agency.
package bastjanst

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"time"

	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/known/durationpb"

	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
)

// Adapter asks one agency in its native protocol.
//
// Hamta returns a result for every answer the agency gave, including its own
// native errors (Fel with kalla BT and the agency's code). It returns an error
// only when no answer could be had; use the constructors below so the error
// carries the gateway's felkod. Hamta must return promptly once ctx is done.
type Adapter interface {
	Bastjanst() ssbtekv1.Bastjanst
	Hamta(ctx context.Context, fraga *ssbtekv1.Fraga, period *ssbtekv1.Tidsperiod) (*ssbtekv1.BastjanstResultat, error)
	// Testa calls the agency's test or health service.
	Testa(ctx context.Context) error
}

// The gateway's own error codes toward one agency (kalla SSBT).
const (
	FelkodTimeout      = "2001"
	FelkodOtillganglig = "2002"
	FelkodOlasbart     = "2003"
	FelkodEjBehorig    = "2004"
	// FelkodKoFull: the agency already has as many questions in flight as
	// it is allowed, and this one waited its whole queue time for a slot. It
	// is fast on purpose: a slow agency must not hold every answer for its
	// whole deadline.
	FelkodKoFull = "2005"
	// FelkodAvbruten: the caller went away (cancelled its call) before the
	// agency answered. It is the caller's doing, never the agency's: breaker
	// and availability metrics do not count it.
	FelkodAvbruten = "2006"
	// FelkodForStort: the agency's part was dropped so that the compiled
	// answer stays within the size a client accepts (gRPC's default 4 MiB).
	FelkodForStort = "2007"
	// FelkodHastighet: the gateway's own rate limit toward the agency (which
	// promises about one question a second) gave no turn within the deadline.
	FelkodHastighet = "2008"
)

// Error is a failure to get an answer from an agency, with the gateway's felkod.
// Its message is safe to show to the caller: it never holds personal data.
type Error struct {
	Felkod string
	// Meddelande is the caller-facing text.
	Meddelande string
	// Err is the cause, for logs; it may hold details not meant for callers.
	Err error
}

func (e *Error) Error() string {
	if e.Err == nil {
		return fmt.Sprintf("felkod %s: %s", e.Felkod, e.Meddelande)
	}
	return fmt.Sprintf("felkod %s: %s: %v", e.Felkod, e.Meddelande, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

// Unavailable reports that the agency could not be reached (2002).
func Unavailable(err error) error {
	return &Error{Felkod: FelkodOtillganglig, Meddelande: "Bastjänsten är inte tillgänglig", Err: err}
}

// Unreadable reports that the agency's answer could not be read (2003).
func Unreadable(err error) error {
	return &Error{Felkod: FelkodOlasbart, Meddelande: "Bastjänstens svar kunde inte tolkas", Err: err}
}

// NotAuthorised reports that the ingivare may not ask this agency (2004).
func NotAuthorised(err error) error {
	return &Error{Felkod: FelkodEjBehorig, Meddelande: "Ingivaren saknar behörighet till bastjänsten", Err: err}
}

// RateLimited reports that the question got no turn under the agency's rate
// limit within its deadline (2008): the agency was not asked.
func RateLimited(err error) error {
	return &Error{Felkod: FelkodHastighet, Meddelande: "Bastjänstens frågetakt är uppnådd, försök igen senare", Err: err}
}

// Timeout reports that the agency did not answer in time (2001).
func Timeout(err error) error {
	return &Error{Felkod: FelkodTimeout, Meddelande: "Bastjänsten svarade inte inom angiven tid", Err: err}
}

// Busy reports that no call slot for the agency freed up within the queue time (2005).
func Busy(err error) error {
	return &Error{Felkod: FelkodKoFull, Meddelande: "Bastjänsten har för många pågående frågor, försök igen", Err: err}
}

// CallerCancelled reports that the caller cancelled before the agency answered (2006).
func CallerCancelled(err error) error {
	return &Error{Felkod: FelkodAvbruten, Meddelande: "Frågan avbröts av anroparen", Err: err}
}

// TooLarge reports that an agency's part was left out to bound the compiled answer (2007).
func TooLarge(err error) error {
	return &Error{Felkod: FelkodForStort, Meddelande: "Bastjänstens svar var för stort för det sammanställda svaret", Err: err}
}

// HTTPStatuser is an error that carries the HTTP status an agency answered
// with. The HTTP plumbing puts one in the error chain (StatusError does) so
// the fan-out core can tell a 502/503, which is safe to retry, from others.
type HTTPStatuser interface{ HTTPStatus() int }

// StatusError is an agency's non-success HTTP status as an error.
type StatusError struct{ Status int }

func (e *StatusError) Error() string   { return fmt.Sprintf("HTTP status %d", e.Status) }
func (e *StatusError) HTTPStatus() int { return e.Status }

// HTTPStatus returns the HTTP status carried in err's chain, or 0.
func HTTPStatus(err error) int {
	var s HTTPStatuser
	if errors.As(err, &s) {
		return s.HTTPStatus()
	}
	return 0
}

// FelFor turns an adapter error into the error element of a result. A context
// deadline means timeout; an *Error keeps its code; a cancelled context is the
// caller's cancellation (2006); anything else counts as the agency being
// unavailable, since no answer was had.
func FelFor(err error) *ssbtekv1.Fel {
	var e *Error
	switch {
	case errors.As(err, &e):
	case errors.Is(err, context.DeadlineExceeded):
		e = Timeout(err).(*Error)
	case errors.Is(err, context.Canceled):
		e = CallerCancelled(err).(*Error)
	default:
		e = Unavailable(err).(*Error)
	}
	return &ssbtekv1.Fel{Kalla: ssbtekv1.Kalla_KALLA_SSBT, Felkod: e.Felkod, Felmeddelande: e.Meddelande}
}

// Failed builds the result for an agency that gave no answer.
func Failed(b ssbtekv1.Bastjanst, err error, latens time.Duration) *ssbtekv1.BastjanstResultat {
	fel := FelFor(err)
	return &ssbtekv1.BastjanstResultat{
		Bastjanst: b,
		Status:    &ssbtekv1.Status{Kod: ssbtekv1.StatusKod_STATUS_KOD_ANNATFEL, Meddelande: fel.GetFelmeddelande()},
		Fel:       fel,
		Latens:    durationpb.New(latens),
	}
}

// NativeError builds the result for an agency that answered with its own error
// (kalla BT), keeping the raw answer.
func NativeError(b ssbtekv1.Bastjanst, felkod, felmeddelande string, radata *ssbtekv1.Radata) *ssbtekv1.BastjanstResultat {
	return nativeError(b, ssbtekv1.StatusKod_STATUS_KOD_ANNATFEL, felkod, felmeddelande, radata)
}

// AgencyRefused builds the result for an agency that refused to disclose
// (LEFI's 403, Transportstyrelsen without the ingivare's medgivande): an
// error of the agency's own (kalla BT, its code and text), whose status is
// ATKOMSTNEKAD (seed 004 §6.3: "kan inte lämnas ut på grund av
// behörighetsskäl"), not a generic failure.
func AgencyRefused(b ssbtekv1.Bastjanst, felkod, felmeddelande string, radata *ssbtekv1.Radata) *ssbtekv1.BastjanstResultat {
	return nativeError(b, ssbtekv1.StatusKod_STATUS_KOD_ATKOMSTNEKAD, felkod, felmeddelande, radata)
}

func nativeError(b ssbtekv1.Bastjanst, kod ssbtekv1.StatusKod, felkod, felmeddelande string, radata *ssbtekv1.Radata) *ssbtekv1.BastjanstResultat {
	return &ssbtekv1.BastjanstResultat{
		Bastjanst: b,
		Status:    &ssbtekv1.Status{Kod: kod, Meddelande: felmeddelande},
		Fel:       &ssbtekv1.Fel{Kalla: ssbtekv1.Kalla_KALLA_BT, Felkod: felkod, Felmeddelande: felmeddelande},
		Radata:    radata,
	}
}

// Sammantagen is the status of a compiled answer (seed 004 §6.3):
// SKYDDADIDENTITET when any agency flagged the person's protected identity,
// since the whole answer is then about a protected person, else OK. Each
// agency's own outcome stays in its result.
func Sammantagen(res []*ssbtekv1.BastjanstResultat) *ssbtekv1.Status {
	for _, r := range res {
		if r.GetStatus().GetKod() == ssbtekv1.StatusKod_STATUS_KOD_SKYDDADIDENTITET {
			return &ssbtekv1.Status{Kod: ssbtekv1.StatusKod_STATUS_KOD_SKYDDADIDENTITET,
				Meddelande: "Personen har skyddad identitet enligt " + Kod(r.GetBastjanst()) + "; svaret får bara hanteras av behöriga handläggare"}
		}
	}
	return &ssbtekv1.Status{Kod: ssbtekv1.StatusKod_STATUS_KOD_OK, Meddelande: "OK"}
}

// Status returns the logical status of a valid answer: UPPGIFTSAKNAS when the
// agency knows nothing, SKYDDADIDENTITET when it flags protected identity.
func Status(found, skyddad bool) *ssbtekv1.Status {
	switch {
	case skyddad:
		return &ssbtekv1.Status{Kod: ssbtekv1.StatusKod_STATUS_KOD_SKYDDADIDENTITET, Meddelande: "Personen har skyddad identitet"}
	case !found:
		return &ssbtekv1.Status{Kod: ssbtekv1.StatusKod_STATUS_KOD_UPPGIFTSAKNAS, Meddelande: "Uppgift saknas"}
	default:
		return &ssbtekv1.Status{Kod: ssbtekv1.StatusKod_STATUS_KOD_OK, Meddelande: "OK"}
	}
}

// order is the fixed order of sources in every answer: the enum's, as the
// proto declares them, so a new source needs no line here.
var order = func() []ssbtekv1.Bastjanst {
	var out []ssbtekv1.Bastjanst
	vals := ssbtekv1.Bastjanst_BASTJANST_UNSPECIFIED.Descriptor().Values()
	for i := range vals.Len() {
		if n := vals.Get(i).Number(); n != 0 {
			out = append(out, ssbtekv1.Bastjanst(n))
		}
	}
	slices.Sort(out)
	return out
}()

// All returns every agency of the compiled answer, in answer order: the
// agencies a question naming none asks. Sources of a question of their own
// (EgenFraga) are not among them.
func All() []ssbtekv1.Bastjanst {
	return slices.DeleteFunc(Known(), EgenFraga)
}

// Known returns every source the proto declares, in answer order, those of
// a question of their own included: the codes a rights file, a flag or a
// command line may name.
func Known() []ssbtekv1.Bastjanst { return append([]ssbtekv1.Bastjanst(nil), order...) }

// Egenskaper are the properties the proto declares for source b; the zero
// value (an ordinary agency of the compiled answer) when it declares none.
func Egenskaper(b ssbtekv1.Bastjanst) *ssbtekv1.Kallegenskaper {
	v := b.Descriptor().Values().ByNumber(protoreflect.EnumNumber(b))
	if v == nil {
		return &ssbtekv1.Kallegenskaper{}
	}
	e, _ := proto.GetExtension(v.Options(), ssbtekv1.E_Kallegenskaper).(*ssbtekv1.Kallegenskaper)
	if e == nil {
		return &ssbtekv1.Kallegenskaper{}
	}
	return e
}

// EgenFraga reports whether b answers a question of its own only: a
// question naming no agencies does not ask it.
func EgenFraga(b ssbtekv1.Bastjanst) bool { return Egenskaper(b).GetEgenFraga() }

// Offentlig reports whether b gives public data, which every connected
// organisation may ask.
func Offentlig(b ssbtekv1.Bastjanst) bool { return Egenskaper(b).GetOffentlig() }

// Kod returns the short agency code used in the SSBTEK contract, e.g. "AF".
func Kod(b ssbtekv1.Bastjanst) string {
	const prefix = "BASTJANST_"
	s := b.String()
	if len(s) > len(prefix) && s[:len(prefix)] == prefix {
		return s[len(prefix):]
	}
	return s
}

// PeriodFor returns the period that applies to agency b: its own override if
// the question has one, else the general period.
func PeriodFor(f *ssbtekv1.Fraga, b ssbtekv1.Bastjanst) *ssbtekv1.Tidsperiod {
	for _, bp := range f.GetBastjanstPerioder() {
		if bp.GetBastjanst() == b && bp.GetPeriod() != nil {
			return bp.GetPeriod()
		}
	}
	return f.GetPeriod()
}

// Bitraden returns the question's personuppgiftsbiträden in their order:
// by ordningsnummer, the unnumbered ones (SSBTEK's ordningsnummer is
// optional, absent reads 0) after the numbered, each group in the order the
// question gave. The first is the one acting directly for the ingivare.
// Every adapter that passes biträden on uses this one order.
func Bitraden(f *ssbtekv1.Fraga) []*ssbtekv1.Personuppgiftsbitrade {
	key := func(b *ssbtekv1.Personuppgiftsbitrade) int64 {
		if n := b.GetOrdningsnummer(); n > 0 {
			return int64(n)
		}
		return math.MaxInt64
	}
	return slices.SortedStableFunc(slices.Values(f.GetPersonuppgiftsbitrade()), func(a, b *ssbtekv1.Personuppgiftsbitrade) int {
		return cmp.Compare(key(a), key(b))
	})
}

// Fragare asks one source a question of its own through the lookup service
// (the server implements it): the caller's identity, the request's field
// rules (req, as the source's call defines it) and the question's (f, after
// its identities are normalised), the rights, the same-person rule, the quota
// and the audit record all apply as on every call. Its error is a gRPC
// status error, ready to return to the caller.
type Fragare interface {
	Fraga(ctx context.Context, req proto.Message, f *ssbtekv1.Fraga, b ssbtekv1.Bastjanst) (*ssbtekv1.BastjanstResultat, error)
}
