package lookup_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"reflect"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"

	"google.golang.org/protobuf/proto"

	"github.com/ssbtek/gateway/audit"
	"github.com/ssbtek/gateway/fanout"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
	"github.com/ssbtek/gateway/identity"
	"github.com/ssbtek/gateway/lookup"
	"github.com/ssbtek/gateway/rights"
)

// auditor keeps records in memory, or fails every append (once it holds
// failFrom records, when failFrom > 0).
type auditor struct {
	mu       sync.Mutex
	recs     []audit.Record
	fail     error
	failFrom int
}

func (a *auditor) Append(_ context.Context, r *audit.Record) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.fail != nil && len(a.recs) >= a.failFrom {
		return a.fail
	}
	a.recs = append(a.recs, *r)
	return nil
}

func (a *auditor) records() []audit.Record {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]audit.Record(nil), a.recs...)
}

func newService(t *testing.T, a *auditor, log *bytes.Buffer) *lookup.Service {
	core, err := fanout.New(fanout.Config{}, echoAdapter{ssbtekv1.Bastjanst_BASTJANST_AF}, echoAdapter{ssbtekv1.Bastjanst_BASTJANST_CSN})
	if err != nil {
		t.Fatal(err)
	}
	r, err := rights.Parse([]byte(rightsYAML))
	if err != nil {
		t.Fatal(err)
	}
	svc := lookup.New(core, slog.New(slog.NewJSONHandler(log, nil)), lookup.WithRights(rights.Static(r)))
	svc.SetAuditor(a)
	return svc
}

// auditFraga is Exempelkommun's question, naming in its ombud field an
// organisation that did not send it: the record must name the certificate's.
var auditFraga = &ssbtekv1.Fraga{Organisationsnummer: kommun, Ingivare: "Exempelkommun", Handlaggare: "h1",
	Personidentitet: "191212121212", Arendeidentitet: "A1", Syfte: "s", Lagtext: "l", Ombud: "165560000000",
	Period: &ssbtekv1.Tidsperiod{From: "2026-08-01", Tom: "2026-10-31"}, Korrelationsid: "K1"}

// asOmbud is the certificate identity of Exempelkommun's ombud.
func asOmbud(t *testing.T) context.Context {
	return identity.NewContext(t.Context(), identity.Caller{Subject: "SERIALNUMBER=" + ombudet + ",CN=Ombudet AB drift",
		SerialNumber: ombudet, Organisationsnummer: ombudet, FingerprintSHA256: "ab12cd34"})
}

func TestEveryLookupIsRecorded(t *testing.T) {
	a := &auditor{}
	svc := newService(t, a, &bytes.Buffer{})
	req := lookup.Request{Caller: lookup.Caller{Interface: "grpc"}, Fraga: auditFraga}
	ctx := asOmbud(t)
	if _, err := svc.Sammanstallning(ctx, req); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Bastjanst(ctx, req, ssbtekv1.Bastjanst_BASTJANST_CSN); err != nil {
		t.Fatal(err)
	}
	svc.Refused(ctx, req, "VALIDERINGSFEL: x")
	if len(a.recs) != 3 {
		t.Fatalf("%d records for 3 questions", len(a.recs))
	}
	r := a.recs[0]
	if r.Interface != "grpc" || r.Ingivare != "162120002411" || r.IngivareNamn != "Exempelkommun" || r.Ombud != ombudet ||
		r.Handlaggare != "h1" || r.Personidentitet != "191212121212" || r.Arendeidentitet != "A1" || r.Syfte != "s" ||
		r.Lagtext != "l" || r.Korrelationsid != "K1" || r.PeriodFrom != "2026-08-01" || r.Time.IsZero() {
		t.Errorf("record lacks the question: %+v", r)
	}
	for i, r := range a.recs {
		if r.CertSubject != "SERIALNUMBER="+ombudet+",CN=Ombudet AB drift" || r.CertSerialNumber != ombudet || r.CertFingerprint != "ab12cd34" {
			t.Errorf("record %d lacks the certificate: %+v", i, r)
		}
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
	req := lookup.Request{Caller: lookup.Caller{Interface: "soap"}, Fraga: auditFraga}
	sam, err := svc.Sammanstallning(as(kommun), req)
	if !errors.Is(err, lookup.ErrAuditUnavailable) || sam != nil {
		t.Fatalf("Sammanstallning: %v, %v", sam, err)
	}
	res, err := svc.Bastjanst(as(kommun), req, ssbtekv1.Bastjanst_BASTJANST_AF)
	if !errors.Is(err, lookup.ErrAuditUnavailable) || res != nil {
		t.Fatalf("Bastjanst: %v, %v", res, err)
	}
	if strings.Count(log.String(), "audit record not committed") != 2 || strings.Contains(log.String(), "191212121212") {
		t.Errorf("log:\n%s", log.String())
	}
}

// A stream commits its question before any agency is asked, so no result
// leaves unrecorded: the opening record names the agencies to be asked
// and no outcome, and the complete record follows the fan-out.
func TestStreamaRecordsBeforeTheFirstResult(t *testing.T) {
	rg := newRig(t)
	a := &auditor{}
	rg.svc.SetAuditor(a)
	req := lookup.Request{Caller: lookup.Caller{Interface: "grpc"}, Fraga: fraga(tolvan)}
	sent := 0
	_, err := rg.svc.Streama(as(kommun), req, func(*ssbtekv1.BastjanstResultat) error {
		sent++
		if recs := a.records(); len(recs) != 1 || !recs[0].StreamOpening {
			t.Errorf("a result left with records %+v, want the opening one alone", recs)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	recs := a.records()
	if sent != 7 || len(recs) != 2 {
		t.Fatalf("sent %d results, %d records; want 7 and 2", sent, len(recs))
	}
	open, done := recs[0], recs[1]
	if len(open.Agencies) != 7 || open.Agencies[0].Bastjanst != "AF" || open.Agencies[0].Status != "" || open.Personidentitet != tolvan || open.CertSerialNumber != kommun {
		t.Errorf("opening record: %+v", open)
	}
	if done.StreamOpening || len(done.Agencies) != 7 || done.Agencies[0].Status != "STATUS_KOD_OK" {
		t.Errorf("complete record: %+v", done)
	}
}

// With the audit store failing, a stream sends nothing and asks no agency.
func TestStreamaWithoutRecordSendsNothing(t *testing.T) {
	rg := newRig(t)
	rg.svc.SetAuditor(&auditor{fail: errors.New("disk full")})
	req := lookup.Request{Caller: lookup.Caller{Interface: "grpc"}, Fraga: fraga(tolvan)}
	sent := 0
	sam, err := rg.svc.Streama(as(kommun), req, func(*ssbtekv1.BastjanstResultat) error { sent++; return nil })
	if !errors.Is(err, lookup.ErrAuditUnavailable) || sam != nil || sent != 0 || rg.askedAny() {
		t.Errorf("Streama: %v, %v, sent %d, agencies asked %v; want ErrAuditUnavailable and nothing", sam, err, sent, rg.askedAny())
	}
}

// When the complete record cannot be written after the results went out,
// the final answer is withheld: the stream ends with ErrAuditUnavailable.
func TestStreamaWithoutCompleteRecordWithholdsTheSummary(t *testing.T) {
	rg := newRig(t)
	a := &auditor{fail: errors.New("disk full"), failFrom: 1}
	rg.svc.SetAuditor(a)
	req := lookup.Request{Caller: lookup.Caller{Interface: "grpc"}, Fraga: fraga(tolvan)}
	sam, err := rg.svc.Streama(as(kommun), req, func(*ssbtekv1.BastjanstResultat) error { return nil })
	if !errors.Is(err, lookup.ErrAuditUnavailable) || sam != nil {
		t.Errorf("Streama: %v, %v; want ErrAuditUnavailable instead of the summary", sam, err)
	}
	if recs := a.records(); len(recs) != 1 || !recs[0].StreamOpening {
		t.Errorf("records %+v, want the opening one", recs)
	}
}

// TestResultatIsSammanstallningsResults: the SOAP shim's call answers the
// same results, writes the same log line and commits the same record as
// Sammanstallning; only the Inkomstsammanstallning is left out.
func TestResultatIsSammanstallningsResults(t *testing.T) {
	a := &auditor{}
	var log bytes.Buffer
	svc := newService(t, a, &log)
	req := lookup.Request{Caller: lookup.Caller{Interface: "soap"}, Fraga: auditFraga}
	sam, err := svc.Sammanstallning(asOmbud(t), req)
	if err != nil {
		t.Fatal(err)
	}
	samLog := log.String()
	log.Reset()
	res, err := svc.Resultat(asOmbud(t), req)
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != len(sam.GetResultat()) {
		t.Fatalf("%d results, Sammanstallning has %d", len(res), len(sam.GetResultat()))
	}
	for i := range res {
		// Latens is each call's own.
		got, want := proto.CloneOf(res[i]), proto.CloneOf(sam.GetResultat()[i])
		got.Latens, want.Latens = nil, nil
		if !proto.Equal(got, want) {
			t.Errorf("result %d: %v, Sammanstallning's %v", i, got, want)
		}
	}
	recs := a.records()
	if len(recs) != 2 {
		t.Fatalf("%d records for 2 questions", len(recs))
	}
	r0, r1 := recs[0], recs[1]
	r0.Time, r1.Time = time.Time{}, time.Time{}
	for i := range r0.Agencies {
		r0.Agencies[i].Duration, r1.Agencies[i].Duration = 0, 0
	}
	if !reflect.DeepEqual(r0, r1) {
		t.Errorf("record %+v, Sammanstallning's %+v", r1, r0)
	}
	elapsed := regexp.MustCompile(`"(time|elapsed)":("[^"]*"|\d+)`)
	if got, want := elapsed.ReplaceAllString(log.String(), ""), elapsed.ReplaceAllString(samLog, ""); got != want {
		t.Errorf("log line\n%s\nSammanstallning's\n%s", got, want)
	}
}

// TestRecordedFieldsAreCut: a refused question's over-long fields (a
// 900 KB syfte, a 100 KB korrelationsid of multi-byte characters) are cut
// at lookup.MaxRecordedField bytes and marked, so the refusal adds a few KB
// to the log; an admitted question's fields are kept whole.
func TestRecordedFieldsAreCut(t *testing.T) {
	a := &auditor{}
	svc := newService(t, a, &bytes.Buffer{})
	long := proto.CloneOf(auditFraga)
	long.Syfte = strings.Repeat("x", 900_000)
	long.Korrelationsid = strings.Repeat("å", 50_000)
	if _, err := svc.Sammanstallning(asOmbud(t), lookup.Request{Caller: lookup.Caller{Interface: "rest"}, Fraga: long}); err == nil {
		t.Fatal("a 900 KB syfte was admitted")
	}
	max1000 := proto.CloneOf(auditFraga)
	max1000.Syfte = strings.Repeat("€", 1000)
	if _, err := svc.Sammanstallning(asOmbud(t), lookup.Request{Caller: lookup.Caller{Interface: "rest"}, Fraga: max1000}); err != nil {
		t.Fatal(err)
	}
	recs := a.records()
	if len(recs) != 2 {
		t.Fatalf("%d records", len(recs))
	}
	r := recs[0]
	size := len(audit.LeafData(r))
	for _, f := range []string{r.Syfte, r.Korrelationsid} {
		if len(f) > lookup.MaxRecordedField+64 || !strings.Contains(f, "…[avkortat: ") || !utf8.ValidString(f) {
			t.Errorf("field of %d bytes not cut and marked: %.80q…", len(f), f[len(f)-80:])
		}
	}
	if size > 12<<10 {
		t.Errorf("the refusal's record is %d bytes", size)
	}
	if recs[1].Syfte != max1000.Syfte {
		t.Error("an admitted question's syfte was cut")
	}
	t.Logf("record of the refused question: %d bytes", size)
}
