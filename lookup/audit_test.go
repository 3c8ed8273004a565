package lookup_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"

	"github.com/ssbtek/gateway/audit"
	"github.com/ssbtek/gateway/fanout"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
	"github.com/ssbtek/gateway/lookup"
)

// auditor keeps records in memory, or fails every append.
type auditor struct {
	recs []audit.Record
	fail error
}

func (a *auditor) Append(_ context.Context, r *audit.Record) error {
	if a.fail != nil {
		return a.fail
	}
	a.recs = append(a.recs, *r)
	return nil
}

func newService(t *testing.T, a *auditor, log *bytes.Buffer) *lookup.Service {
	core, err := fanout.New(fanout.Config{}, echoAdapter{ssbtekv1.Bastjanst_BASTJANST_AF}, echoAdapter{ssbtekv1.Bastjanst_BASTJANST_CSN})
	if err != nil {
		t.Fatal(err)
	}
	svc := lookup.New(core, slog.New(slog.NewJSONHandler(log, nil)))
	svc.SetAuditor(a)
	return svc
}

var fraga = &ssbtekv1.Fraga{Organisationsnummer: "162120002411", Ingivare: "Exempelkommun", Handlaggare: "h1",
	Personidentitet: "191212121212", Arendeidentitet: "A1", Syfte: "s", Lagtext: "l", Ombud: "165560000000",
	Period: &ssbtekv1.Tidsperiod{From: "2026-08-01", Tom: "2026-10-31"}, Korrelationsid: "K1"}

func TestEveryLookupIsRecorded(t *testing.T) {
	a := &auditor{}
	svc := newService(t, a, &bytes.Buffer{})
	req := lookup.Request{Caller: lookup.Caller{Interface: "grpc"}, Fraga: fraga}
	if _, err := svc.Sammanstallning(t.Context(), req); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Bastjanst(t.Context(), req, ssbtekv1.Bastjanst_BASTJANST_CSN); err != nil {
		t.Fatal(err)
	}
	svc.Refused(t.Context(), req, "VALIDERINGSFEL: x")
	if len(a.recs) != 3 {
		t.Fatalf("%d records for 3 questions", len(a.recs))
	}
	r := a.recs[0]
	if r.Interface != "grpc" || r.Ingivare != "162120002411" || r.IngivareNamn != "Exempelkommun" || r.Ombud != "165560000000" ||
		r.Handlaggare != "h1" || r.Personidentitet != "191212121212" || r.Arendeidentitet != "A1" || r.Syfte != "s" ||
		r.Lagtext != "l" || r.Korrelationsid != "K1" || r.PeriodFrom != "2026-08-01" || r.Time.IsZero() {
		t.Errorf("record lacks the question: %+v", r)
	}
	if len(r.Agencies) != 2 || r.Agencies[0].Bastjanst != "AF" || r.Agencies[0].Kalla != "KALLA_BT" || r.Agencies[0].Felkod != "E1" {
		t.Errorf("outcomes: %+v", r.Agencies)
	}
	if len(a.recs[1].Agencies) != 1 || a.recs[1].Agencies[0].Bastjanst != "CSN" {
		t.Errorf("one-agency outcomes: %+v", a.recs[1].Agencies)
	}
	if a.recs[2].Refusal != "VALIDERINGSFEL: x" || a.recs[2].Agencies != nil {
		t.Errorf("refusal: %+v", a.recs[2])
	}
}

func TestNoRecordNoAnswer(t *testing.T) {
	var log bytes.Buffer
	svc := newService(t, &auditor{fail: errors.New("disk full")}, &log)
	req := lookup.Request{Caller: lookup.Caller{Interface: "soap"}, Fraga: fraga}
	sam, err := svc.Sammanstallning(t.Context(), req)
	if !errors.Is(err, lookup.ErrAuditUnavailable) || sam != nil {
		t.Fatalf("Sammanstallning: %v, %v", sam, err)
	}
	res, err := svc.Bastjanst(t.Context(), req, ssbtekv1.Bastjanst_BASTJANST_AF)
	if !errors.Is(err, lookup.ErrAuditUnavailable) || res != nil {
		t.Fatalf("Bastjanst: %v, %v", res, err)
	}
	if strings.Count(log.String(), "audit record not committed") != 2 || strings.Contains(log.String(), "191212121212") {
		t.Errorf("log:\n%s", log.String())
	}
}
