package legacy

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/ssbtek/gateway/audit"
	"github.com/ssbtek/gateway/bastjanst"
	"github.com/ssbtek/gateway/fanout"
	"github.com/ssbtek/gateway/identity"
	"github.com/ssbtek/gateway/lookup"
	"github.com/ssbtek/gateway/rights"
)

// memAuditor is an in-memory audit log: it keeps every record it is given.
type memAuditor struct {
	mu   sync.Mutex
	recs []audit.Record
}

func (a *memAuditor) Append(_ context.Context, rec *audit.Record) error {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.recs = append(a.recs, *rec)
	return nil
}

// take returns the records kept since the last call and forgets them.
func (a *memAuditor) take() []audit.Record {
	a.mu.Lock()
	defer a.mu.Unlock()
	recs := a.recs
	a.recs = nil
	return recs
}

// auditRig is the shim over the fakes with a recording lookup service,
// the shim's and the service's logs in one buffer, and the caller every
// request comes from (none when caller is "").
type auditRig struct {
	url   string
	fakes fakes
	audit *memAuditor
	logs  *bytes.Buffer
}

func newAuditRig(t *testing.T, caller string, opts ...lookup.Option) *auditRig {
	t.Helper()
	rg := &auditRig{fakes: newFakes(t), audit: &memAuditor{}, logs: &bytes.Buffer{}}
	var list []bastjanst.Adapter
	for _, a := range rg.fakes {
		list = append(list, a)
	}
	core, err := fanout.New(fanout.Config{}, list...)
	if err != nil {
		t.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(&syncWriter{w: rg.logs}, &slog.HandlerOptions{Level: slog.LevelDebug}))
	svc := lookup.New(core, log, opts...)
	svc.SetAuditor(rg.audit)
	var h http.Handler = NewHandler(svc, Config{Logger: log})
	if caller != "" {
		h = identity.Fixed(identity.Caller{Organisationsnummer: caller, SerialNumber: "16" + caller, Subject: "SERIALNUMBER=16" + caller}, h)
	}
	mux := http.NewServeMux()
	mux.Handle(Path, h)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	rg.url = srv.URL
	return rg
}

// noAgencyAsked fails the test when any agency got a question.
func (rg *auditRig) noAgencyAsked(t *testing.T) {
	t.Helper()
	for b, a := range rg.fakes {
		if f, _ := a.last(); f != nil {
			t.Errorf("%s was asked", bastjanst.Kod(b))
		}
	}
}

// noPersonnummerLogged fails the test when the logs name the test person.
func (rg *auditRig) noPersonnummerLogged(t *testing.T) {
	t.Helper()
	if logs := rg.logs.String(); strings.Contains(logs, "1212121212") {
		t.Errorf("the logs hold a personnummer:\n%s", logs)
	}
}

type syncWriter struct {
	mu sync.Mutex
	w  *bytes.Buffer
}

func (s *syncWriter) Write(b []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(b)
}

// A request the shim itself refuses (fault 1001) is recorded like the
// modern API's validation refusals: with the reason, the interface and as
// much of the question as was read before the problem; and no personnummer
// reaches the logs.
func TestShimRefusalsAreRecorded(t *testing.T) {
	rg := newAuditRig(t, "")
	valid := string(readTestdata(t, "hamta_v10.xml"))
	for _, c := range []struct {
		name, body string
		// reason is a piece of the recorded reason; pnr the personidentitet
		// the record holds ("" when the shim did not get that far).
		reason, pnr string
	}{
		{name: "bad inkludera after the question", body: strings.Replace(valid, `<ssbt:SO inkludera="true"/>`, `<ssbt:SO inkludera="yes"/>`, 1),
			reason: "inkludera på SO", pnr: "191212121212"},
		{name: "bad date after the person", body: strings.Replace(valid, "<ssbt:tomDatum>2025-02-28</ssbt:tomDatum>\n        </ssbt:tidsperiod>\n        <ssbt:person", "<ssbt:tomDatum>2025-02-30</ssbt:tomDatum>\n        </ssbt:tidsperiod>\n        <ssbt:person", 1),
			reason: "tomDatum", pnr: "191212121212"},
		{name: "bad ingivare before the person", body: strings.Replace(valid, "<ssbt:organisationsnummer>162120001420<", "<ssbt:organisationsnummer>16212000142X<", 1),
			reason: "organisationsnummer"},
		{name: "bad personidentitet", body: strings.Replace(valid, "<ssbt:personidentitet>191212121212<", "<ssbt:personidentitet>19121212121X<", 1),
			reason: "personidentitet"},
		{name: "not XML", body: "hello", reason: "rotelement"},
		{name: "too large", body: strings.Replace(valid, "<soapenv:Body>", "<soapenv:Body><!--"+strings.Repeat("x", 2<<20)+"-->", 1), reason: "större än 1024 KiB"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if c.body == valid {
				t.Fatal("the edit does not apply")
			}
			status, raw := post(t, rg.url, []byte(c.body))
			if felkod, _, _, _ := faultOf(t, raw); status != http.StatusInternalServerError || felkod != FelkodOgiltigFraga {
				t.Fatalf("status %d felkod %s, want 500 with 1001", status, felkod)
			}
			recs := rg.audit.take()
			if len(recs) != 1 {
				t.Fatalf("%d records, want one", len(recs))
			}
			rec := recs[0]
			if !strings.HasPrefix(rec.Refusal, "VALIDERINGSFEL: ") || !strings.Contains(rec.Refusal, c.reason) {
				t.Errorf("refusal %q, want VALIDERINGSFEL naming %q", rec.Refusal, c.reason)
			}
			if rec.Interface != "soap" || len(rec.Agencies) != 0 {
				t.Errorf("interface %q, agencies %v; want soap and none", rec.Interface, rec.Agencies)
			}
			if rec.Personidentitet != c.pnr {
				t.Errorf("personidentitet %q recorded, want %q", rec.Personidentitet, c.pnr)
			}
			if c.pnr != "" && (rec.Ingivare != "162120001420" || rec.Korrelationsid != "KORR-0001" || rec.PeriodFrom != "2024-12-01") {
				t.Errorf("ingivare %q, korrelationsid %q: the question read before the problem is not recorded", rec.Ingivare, rec.Korrelationsid)
			}
			if strings.Contains(rec.Refusal, "1212121212") {
				t.Errorf("the reason holds a personnummer: %q", rec.Refusal)
			}
		})
	}
	rg.noAgencyAsked(t)
	rg.noPersonnummerLogged(t)
}

// noneIncluded is hamta_v10.xml including no agency, its iip Address
// naming the ingivare.
func noneIncluded(t *testing.T) []byte {
	req := string(readTestdata(t, "hamta_v10.xml"))
	req = strings.ReplaceAll(req, `inkludera="true"`, `inkludera="false"`)
	req = strings.ReplaceAll(req, `inkludera="1"`, `inkludera="0"`)
	return []byte(strings.Replace(req, "<iip:Address>5565866996<", "<iip:Address>2120001420<", 1))
}

// A question that includes no agency still goes through the lookup
// service: who asks is checked and the question recorded, though nobody is
// asked.
func TestNothingIncludedIsAdmittedAndRecorded(t *testing.T) {
	r, err := rights.Parse([]byte(`
organisationer:
  - organisationsnummer: "162120001420"
    namn: Exempelkommunen
    bastjanster: [AF, CSN, FK, SKV, SO, TNS, MIV]
`))
	if err != nil {
		t.Fatal(err)
	}
	withRights := lookup.WithRights(rights.Static(r))

	t.Run("the ingivare", func(t *testing.T) {
		rg := newAuditRig(t, "162120001420", withRights)
		raw := postOK(t, rg.url, noneIncluded(t))
		validateAnswer(t, "10", raw)
		if len(svarsdata(t, answerDoc(t, raw))) != 0 {
			t.Errorf("agencies answered although none was included:\n%s", raw)
		}
		recs := rg.audit.take()
		if len(recs) != 1 || recs[0].Refusal != "" || len(recs[0].Agencies) != 0 || recs[0].Personidentitet != "191212121212" || recs[0].CertSerialNumber != "16162120001420" {
			t.Errorf("records %+v, want the question, admitted, with no agency", recs)
		}
		rg.noAgencyAsked(t)
		rg.noPersonnummerLogged(t)
	})
	for _, c := range []struct{ name, caller, reason string }{
		{"another organisation", "162120002411", "rights"},
		{"no certificate", "", "identity"},
	} {
		t.Run(c.name, func(t *testing.T) {
			rg := newAuditRig(t, c.caller, withRights)
			status, raw := post(t, rg.url, noneIncluded(t))
			if felkod, _, _, _ := faultOf(t, raw); status != http.StatusInternalServerError || felkod != FelkodEjBehorig {
				t.Errorf("status %d felkod %s, want 500 with 1002", status, felkod)
			}
			recs := rg.audit.take()
			if len(recs) != 1 || !strings.HasPrefix(recs[0].Refusal, c.reason) {
				t.Errorf("records %+v, want one refused for %s", recs, c.reason)
			}
			rg.noAgencyAsked(t)
			rg.noPersonnummerLogged(t)
		})
	}
}
