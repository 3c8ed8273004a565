package server

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/protoadapt"
	"google.golang.org/protobuf/types/known/durationpb"

	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
	"github.com/ssbtek/gateway/lookup"
)

// restError is the REST gateway's error handler. The service's own errors
// pass through as they are; what grpc-gateway produces before the service
// runs gets the same shape as a validation error, so a client reads every
// bad request alike: a body that is not JSON, or names fields the API does
// not have, is VALIDERINGSFEL naming the body; an over-size body is 413.
func restError(ctx context.Context, mux *runtime.ServeMux, m runtime.Marshaler, w http.ResponseWriter, r *http.Request, err error) {
	switch {
	case isTooLarge(err):
		err = &runtime.HTTPStatusError{
			HTTPStatus: http.StatusRequestEntityTooLarge,
			Err:        violationsStatus([]violation{{field: "body", reason: "större än servern tar emot"}}),
		}
	case isBareInvalidArgument(err):
		if vs := hints(r); len(vs) > 0 {
			err = violationsStatus(vs)
			break
		}
		err = violationsStatus([]violation{{field: "body", reason: "är inte JSON för frågan: " + status.Convert(err).Message()}})
	}
	setRetryAfter(w, err)
	runtime.DefaultHTTPErrorHandler(ctx, mux, m, w, r, err)
}

// isTooLarge reports a body cut off by http.MaxBytesReader. grpc-gateway
// turns the reader's error into a status and keeps only its text.
func isTooLarge(err error) bool {
	var mb *http.MaxBytesError
	if errors.As(err, &mb) {
		return true
	}
	st, ok := status.FromError(err)
	return ok && st.Code() == codes.InvalidArgument && st.Message() == (&http.MaxBytesError{}).Error()
}

// isBareInvalidArgument reports an INVALID_ARGUMENT without details: the
// gateway's own complaint about the body (the service's carry ErrorInfo).
func isBareInvalidArgument(err error) bool {
	st, ok := status.FromError(err)
	if !ok || st.Code() != codes.InvalidArgument {
		return false
	}
	for _, d := range st.Details() {
		if _, ok := d.(*errdetails.ErrorInfo); ok {
			return false
		}
	}
	return true
}

// allowedMethods maps each REST path to the methods it takes, read from the
// OpenAPI document generated from the same proto as the routes.
func allowedMethods(openAPI []byte) (map[string]string, error) {
	var doc struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(openAPI, &doc); err != nil {
		return nil, fmt.Errorf("reading the OpenAPI document: %w", err)
	}
	allow := make(map[string]string, len(doc.Paths))
	for path, ops := range doc.Paths {
		var methods []string
		for m := range ops {
			methods = append(methods, strings.ToUpper(m))
		}
		slices.Sort(methods)
		allow[path] = strings.Join(methods, ", ")
	}
	return allow, nil
}

// restRoutingError answers a known path asked with the wrong method with
// 405 and the methods it takes (grpc-gateway would say 501).
func restRoutingError(allow map[string]string) runtime.RoutingErrorHandlerFunc {
	return func(ctx context.Context, mux *runtime.ServeMux, m runtime.Marshaler, w http.ResponseWriter, r *http.Request, httpStatus int) {
		if httpStatus != http.StatusMethodNotAllowed {
			runtime.DefaultRoutingErrorHandler(ctx, mux, m, w, r, httpStatus)
			return
		}
		methods := allow[r.URL.Path]
		if methods != "" {
			w.Header().Set("Allow", methods)
		}
		runtime.DefaultHTTPErrorHandler(ctx, mux, m, w, r, &runtime.HTTPStatusError{
			HTTPStatus: http.StatusMethodNotAllowed,
			Err:        status.Errorf(codes.Unimplemented, "metoden %s är inte tillåten här (tillåtna: %s)", r.Method, methods),
		})
	}
}

// refusalStatus is the gRPC status of a question the lookup service refused.
// Its ErrorInfo carries the StatusKod as reason and, as metadata felkod, the
// SSBTEK fault code the SOAP shim answers for the same refusal.
func refusalStatus(r *lookup.Refusal) error {
	var code codes.Code
	var kod ssbtekv1.StatusKod
	switch r.Reason {
	case lookup.ReasonValidation, lookup.ReasonSamePerson, lookup.ReasonPeriod:
		vs := make([]violation, 0, len(r.Violations))
		for _, v := range r.Violations {
			// Every violation of a period refusal is OGILTIGTIDSPERIOD,
			// SKV's years included, whose field names no period.
			vs = append(vs, violation{field: v.Field, reason: v.Description, period: r.Reason == lookup.ReasonPeriod || isPeriodField(v.Field)})
		}
		return violationsStatus(vs)
	case lookup.ReasonIdentity:
		code, kod = codes.Unauthenticated, ssbtekv1.StatusKod_STATUS_KOD_ATKOMSTNEKAD
	case lookup.ReasonQuota, lookup.ReasonBusy:
		code, kod = codes.ResourceExhausted, ssbtekv1.StatusKod_STATUS_KOD_ANNATFEL
	case lookup.ReasonOverload:
		// 503 over REST, with Retry-After from the RetryInfo.
		code, kod = codes.Unavailable, ssbtekv1.StatusKod_STATUS_KOD_ANNATFEL
	default:
		code, kod = codes.PermissionDenied, ssbtekv1.StatusKod_STATUS_KOD_ATKOMSTNEKAD
	}
	name := strings.TrimPrefix(kod.String(), "STATUS_KOD_")
	st := status.New(code, name+": "+r.Text())
	details := []protoadapt.MessageV1{&errdetails.ErrorInfo{Reason: name, Domain: ErrorDomain, Metadata: map[string]string{"felkod": r.Felkod(), "refused": string(r.Reason)}}}
	if r.RetryAfter > 0 {
		details = append(details, &errdetails.RetryInfo{RetryDelay: durationpb.New(r.RetryAfter)})
	}
	if withDetails, err := st.WithDetails(details...); err == nil {
		st = withDetails
	}
	return st.Err()
}

// setRetryAfter gives a REST answer the Retry-After of a RetryInfo detail
// (whole seconds, rounded up), as HTTP 429 wants.
func setRetryAfter(w http.ResponseWriter, err error) {
	st, ok := status.FromError(err)
	if !ok {
		return
	}
	for _, d := range st.Details() {
		if ri, ok := d.(*errdetails.RetryInfo); ok {
			secs := int64(math.Ceil(ri.GetRetryDelay().AsDuration().Seconds()))
			w.Header().Set("Retry-After", strconv.FormatInt(max(secs, 1), 10))
		}
	}
}
