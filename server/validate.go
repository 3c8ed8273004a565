package server

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"buf.build/go/protovalidate"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"

	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
	"github.com/ssbtek/gateway/personnummer"
)

// ErrorDomain names this service in ErrorInfo details.
const ErrorDomain = "ssbtek-gateway"

// violation is one bad field, named by its path in the request.
type violation struct {
	field, reason string
	// period marks violations of a period, which the contract reports as
	// OGILTIGTIDSPERIOD rather than VALIDERINGSFEL.
	period bool
}

// validator checks requests: the rules written in the proto (protovalidate)
// plus what the proto cannot say: dates that exist, the personnummer's date and
// Luhn digit, from ≤ tom.
type validator struct {
	pv  protovalidate.Validator
	now func() time.Time
}

func newValidator() (*validator, error) {
	pv, err := protovalidate.New()
	if err != nil {
		return nil, fmt.Errorf("building protovalidate: %w", err)
	}
	return &validator{pv: pv, now: time.Now}, nil
}

// check returns nil or a gRPC INVALID_ARGUMENT status naming every bad field
// and the StatusKod (VALIDERINGSFEL, or OGILTIGTIDSPERIOD when only the period
// is wrong).
func (v *validator) check(req proto.Message, fraga *ssbtekv1.Fraga) error {
	return v.checkAnswering(req, fraga, false)
}

// checkAnswering is check; with checkDigitAnswered a personidentitet whose
// only fault is its check digit passes, for the source to answer.
func (v *validator) checkAnswering(req proto.Message, fraga *ssbtekv1.Fraga, checkDigitAnswered bool) error {
	var vs []violation
	if err := v.pv.Validate(req); err != nil {
		var ve *protovalidate.ValidationError
		if !errors.As(err, &ve) {
			return status.Errorf(codes.Internal, "validating request: %v", err)
		}
		for _, x := range ve.Violations {
			field := protovalidate.FieldPathString(x.Proto.GetField())
			vs = append(vs, violation{field: field, reason: svenska(x, req.ProtoReflect().Descriptor()), period: isPeriodField(field)})
		}
	}
	if fraga != nil {
		vs = append(vs, v.checkFraga(fraga, checkDigitAnswered)...)
	}
	return violationsStatus(dedupe(vs))
}

func (v *validator) checkFraga(f *ssbtekv1.Fraga, checkDigitAnswered bool) []violation {
	var vs []violation
	if p := f.GetPersonidentitet(); p != "" {
		if err := personnummer.Check(p, v.now()); err != nil && !(checkDigitAnswered && errors.Is(err, personnummer.ErrKontroll)) {
			vs = append(vs, violation{field: "fraga.personidentitet", reason: err.Error()})
		}
	}
	vs = append(vs, checkPeriod("fraga.period", f.GetPeriod())...)
	for i, bp := range f.GetBastjanstPerioder() {
		vs = append(vs, checkPeriod(fmt.Sprintf("fraga.bastjanst_perioder[%d].period", i), bp.GetPeriod())...)
	}
	return vs
}

// checkPeriod checks the period at field.
func checkPeriod(field string, p *ssbtekv1.Tidsperiod) []violation {
	if p == nil {
		return nil // required-ness is the proto rule's job
	}
	from, ferr := personnummer.CheckDate(p.GetFrom())
	tom, terr := personnummer.CheckDate(p.GetTom())
	if ferr == nil && terr == nil && !from.After(tom) {
		return nil
	}
	var vs []violation
	if ferr != nil {
		vs = append(vs, violation{field: field + ".from", reason: ferr.Error(), period: true})
	}
	if terr != nil {
		vs = append(vs, violation{field: field + ".tom", reason: terr.Error(), period: true})
	}
	if ferr == nil && terr == nil && from.After(tom) {
		vs = append(vs, violation{field: field, reason: "from ligger efter tom", period: true})
	}
	return vs
}

func isPeriodField(field string) bool {
	return strings.Contains(field, "period")
}

// dedupe keeps one violation per field, preferring the Go checks' clearer
// reasons that come later, so a bad date is not reported twice.
func dedupe(vs []violation) []violation {
	if len(vs) == 0 {
		return nil
	}
	last := map[string]int{}
	for i, x := range vs {
		last[x.field] = i
	}
	var out []violation
	for i, x := range vs {
		if last[x.field] == i {
			out = append(out, x)
		}
	}
	return out
}

func violationsStatus(vs []violation) error {
	if len(vs) == 0 {
		return nil
	}
	kod := ssbtekv1.StatusKod_STATUS_KOD_OGILTIGTIDSPERIOD
	for _, x := range vs {
		if !x.period {
			kod = ssbtekv1.StatusKod_STATUS_KOD_VALIDERINGSFEL
		}
	}
	name := strings.TrimPrefix(kod.String(), "STATUS_KOD_")
	br := &errdetails.BadRequest{}
	msgs := make([]string, 0, len(vs))
	for _, x := range vs {
		br.FieldViolations = append(br.FieldViolations, &errdetails.BadRequest_FieldViolation{Field: x.field, Description: x.reason})
		msgs = append(msgs, x.field+": "+x.reason)
	}
	st := status.New(codes.InvalidArgument, name+": "+strings.Join(msgs, "; "))
	st, err := st.WithDetails(&errdetails.ErrorInfo{Reason: name, Domain: ErrorDomain}, br)
	if err != nil {
		return status.Errorf(codes.InvalidArgument, "%s: %s", name, strings.Join(msgs, "; "))
	}
	return st.Err()
}
