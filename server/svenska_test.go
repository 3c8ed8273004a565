package server_test

import (
	"context"
	"regexp"
	"testing"

	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/status"

	"github.com/ssbtek/gateway/fanout"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
)

// Every reason a caller reads for a bad field is Swedish, whichever check
// (a proto rule or a Go check) found it.
func TestValidationMessagesAreSwedish(t *testing.T) {
	g := start(t, fanout.Config{})
	f := &ssbtekv1.Fraga{
		Organisationsnummer: "12",
		Personidentitet:     "191212121213",
		Period:              &ssbtekv1.Tidsperiod{From: "2026-13-01", Tom: "x"},
		Bastjanster:         []ssbtekv1.Bastjanst{99},
	}
	_, err := g.client.HamtaSammanstallning(context.Background(), &ssbtekv1.HamtaSammanstallningRequest{Fraga: f})
	var br *errdetails.BadRequest
	for _, d := range status.Convert(err).Details() {
		if b, ok := d.(*errdetails.BadRequest); ok {
			br = b
		}
	}
	if len(br.GetFieldViolations()) < 6 {
		t.Fatalf("want at least six bad fields, got %v", br)
	}
	english := regexp.MustCompile(`(?i)\b(value|must|is required|does not|characters|pattern)\b`)
	for _, v := range br.GetFieldViolations() {
		if english.MatchString(v.GetDescription()) {
			t.Errorf("%s: %q is not Swedish", v.GetField(), v.GetDescription())
		}
	}
}
