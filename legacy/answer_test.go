package legacy

import (
	"bytes"
	"encoding/base64"
	"errors"
	"strings"
	"testing"

	"github.com/beevik/etree"

	rawdata "github.com/ssbtek/gateway/adapters/radata"
	"github.com/ssbtek/gateway/bastjanst"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
)

// answerDoc parses an answer and returns its body element.
func answerDoc(t *testing.T, raw []byte) *etree.Element {
	t.Helper()
	doc := etree.NewDocument()
	if err := doc.ReadFromBytes(raw); err != nil {
		t.Fatalf("answer is not XML: %v\n%s", err, raw)
	}
	body := doc.FindElement("/Envelope/Body/*")
	if body == nil {
		t.Fatalf("answer has no body element:\n%s", raw)
	}
	return body
}

func svarsdata(t *testing.T, body *etree.Element) map[string]*etree.Element {
	t.Helper()
	sd := body.SelectElement("svarsdata")
	if sd == nil {
		t.Fatalf("no svarsdata in %s", body.Tag)
	}
	out := map[string]*etree.Element{}
	for _, c := range sd.ChildElements() {
		out[c.Tag] = c
	}
	return out
}

var agencyCodes = []string{"AF", "CSN", "FK", "SKV", "SO", "TNS", "MIV"}

func TestAnswerAllAgenciesV10(t *testing.T) {
	fs := newFakes(t)
	url := serve(t, fs.service(t), Config{})
	raw := postOK(t, url, readTestdata(t, "hamta_v10.xml"))
	validateAnswer(t, "10", raw)

	body := answerDoc(t, raw)
	if body.Tag != "hamtaBastjanstInformationResponse" || body.NamespaceURI() != versionByName("10").ns {
		t.Fatalf("body %s in %s", body.Tag, body.NamespaceURI())
	}
	if got := body.SelectElement("korrelationsid").Text(); got != "KORR-0001" {
		t.Errorf("korrelationsid %q", got)
	}
	if got := body.SelectElement("frageTidpunkt").Text(); got != "2025-03-03T09:30:47.123" {
		t.Errorf("frageTidpunkt %q", got)
	}
	fraga := body.SelectElement("fraga")
	if fraga == nil || fraga.FindElement("generellaFrageparametrar/personidentitet") == nil ||
		fraga.FindElement("specifikaFrageparametrar/FK/fraga/lefiJsonFraga") == nil {
		t.Errorf("question not echoed in full:\n%s", raw)
	}
	svar := svarsdata(t, body)
	for _, kod := range agencyCodes {
		el := svar[kod]
		if el == nil || el.SelectElement("data") == nil {
			t.Errorf("%s: no data", kod)
		}
	}
	radata := cannedRadata(t)
	csn, _ := base64.StdEncoding.DecodeString(svar["CSN"].FindElement("data/svar").Text())
	if part, _ := rawdata.Part(radata[ssbtekv1.Bastjanst_BASTJANST_CSN]); !bytes.Equal(csn, part) || !bytes.HasPrefix(csn, []byte("<CSNSvar")) {
		t.Error("CSN svar is not the CSNSvar document base64-encoded")
	}
	fk, _ := base64.StdEncoding.DecodeString(svar["FK"].FindElement("data/lefiJsonSvar").Text())
	if !bytes.Equal(fk, radata[ssbtekv1.Bastjanst_BASTJANST_FK].Innehall) {
		t.Error("FK lefiJsonSvar is not LEFI's JSON base64-encoded")
	}
	if got := svar["SO"].FindElement("data/IdentificationNumber"); got == nil || got.NamespaceURI() != "http://INT014.UBPService.Schemas" {
		t.Error("SO data lost its default namespace")
	}
	if got := svar["MIV"].FindElement("data/response"); got == nil || got.NamespaceURI() != "" {
		t.Error("MIV data/response must stay unqualified")
	}

	// What the agencies were asked.
	f, _ := fs[ssbtekv1.Bastjanst_BASTJANST_AF].last()
	// The iip Address is the customer an ombud sends for (lookup.Caller);
	// who sends, Fraga.Ombud, is the lookup service's to set from the
	// certificate, never the request's.
	if req, err := decodeOne(readTestdata(t, "hamta_v10.xml")); err != nil || req.customer != "165565866996" {
		t.Errorf("iip Address: customer %q, %v", req.customer, err)
	}
	if f.GetOmbud() != "" || f.GetPersonidentitet() != "191212121212" || f.GetOrganisationsnummer() != "162120001420" ||
		f.GetIngivare() != "Exempelkommunen socialnämnd" || f.GetHandlaggare() != "HL0001" || f.GetKorrelationsid() != "KORR-0001" ||
		f.GetPeriod().GetFrom() != "2024-12-01" || f.GetPeriod().GetTom() != "2025-02-28" || len(f.GetBastjanster()) != 7 {
		t.Errorf("Fraga not mapped: %v", f)
	}
	if p := f.GetPersonuppgiftsbitrade(); len(p) != 1 || p[0].GetOrdningsnummer() != 1 || p[0].GetNamn() != "Ombudet AB" {
		t.Errorf("personuppgiftsbitrade: %v", p)
	}
	if fk := f.GetFk(); fk.GetVersion() != "v9" || fk.GetAktorsid() != "162120001420" || string(fk.GetLefiJsonFraga()) != `{"personnummer":"191212121212","period":{"from":"2024-12-01","tom":"2025-02-28"}}` {
		t.Errorf("FK parameters: %v", fk)
	}
	if _, p := fs[ssbtekv1.Bastjanst_BASTJANST_CSN].last(); p.GetFrom() != "2024-09-01" {
		t.Errorf("CSN's own tidsperiod not used: %v", p)
	}
	if _, p := fs[ssbtekv1.Bastjanst_BASTJANST_AF].last(); p.GetFrom() != "2024-12-01" {
		t.Errorf("AF should get the general tidsperiod: %v", p)
	}
}

func TestAnswerV11SkvFraga(t *testing.T) {
	fs := newFakes(t)
	url := serve(t, fs.service(t), Config{})
	raw := postOK(t, url, readTestdata(t, "hamta_v11.xml"))
	validateAnswer(t, "11", raw)
	if body := answerDoc(t, raw); body.NamespaceURI() != versionByName("11").ns {
		t.Errorf("answered in %s, want the request's namespace", body.NamespaceURI())
	}
	f, _ := fs[ssbtekv1.Bastjanst_BASTJANST_SKV].last()
	skv := f.GetSkv()
	if len(skv.GetAr()) != 2 || skv.GetAr()[1] != 2024 || !skv.GetIndividuppgifter() || !skv.GetSkatteuppgifter() || skv.GetSkattekonto() {
		t.Errorf("SKV parameters: %v", skv)
	}

	// Without the echo the v11 answer is also a valid v10 answer.
	noEcho := bytes.Replace(readTestdata(t, "hamta_v11.xml"), []byte("<ssbt:fraganSkallInkluderasISvaret>true"), []byte("<ssbt:fraganSkallInkluderasISvaret>0"), 1)
	raw = postOK(t, url, noEcho)
	if bytes.Contains(raw, []byte("<ssbt:fraga>")) {
		t.Fatalf("echo despite fraganSkallInkluderasISvaret=0:\n%s", raw)
	}
	validateAnswer(t, "11", raw)
}

func TestAnswerAgencyErrors(t *testing.T) {
	fs := newFakes(t)
	fs[ssbtekv1.Bastjanst_BASTJANST_AF].fel = &ssbtekv1.Fel{Kalla: ssbtekv1.Kalla_KALLA_BT, Felkod: "101", Felmeddelande: "Personen finns inte\x00 i registret"}
	fs[ssbtekv1.Bastjanst_BASTJANST_SKV].err = bastjanst.Unavailable(errors.New("connection refused"))
	fs[ssbtekv1.Bastjanst_BASTJANST_TNS].radata = &ssbtekv1.Radata{Innehall: []byte("<broken>")}
	fs[ssbtekv1.Bastjanst_BASTJANST_MIV].radata = rawdata.New([]byte(`<ssbt:findByPersonnummerResponse xmlns:ssbt="http://schema.migrationsverket.se/ssbtek/1/"><response><correlationid>c</correlationid></response></ssbt:findByPersonnummerResponse>`), "text/xml", rawdata.AnswerContent())
	url := serve(t, fs.service(t), Config{})
	raw := postOK(t, url, readTestdata(t, "hamta_v10.xml"))
	validateAnswer(t, "10", raw)
	svar := svarsdata(t, answerDoc(t, raw))
	for kod, want := range map[string][2]string{"AF": {"BT", "101"}, "SKV": {"SSBT", "2002"}, "TNS": {"SSBT", "2003"}} {
		e := svar[kod].SelectElement("error")
		if e == nil {
			t.Errorf("%s: no error element", kod)
			continue
		}
		if e.SelectElement("kalla").Text() != want[0] || e.SelectElement("felkod").Text() != want[1] {
			t.Errorf("%s: error %s/%s, want %v", kod, e.SelectElement("kalla").Text(), e.SelectElement("felkod").Text(), want)
		}
	}
	// An answer that declares our prefix itself still lands in data.
	if got := svar["MIV"].FindElement("data/response/correlationid"); got == nil {
		t.Errorf("MIV data with a clashing prefix was lost:\n%s", raw)
	}
	for _, kod := range []string{"CSN", "FK", "SO"} {
		if svar[kod].SelectElement("data") == nil {
			t.Errorf("%s: one agency's failure spoiled another's data", kod)
		}
	}
}

func TestAnswerNothingIncluded(t *testing.T) {
	fs := newFakes(t)
	url := serve(t, fs.service(t), Config{})
	req := strings.ReplaceAll(string(readTestdata(t, "hamta_v10.xml")), `inkludera="true"`, `inkludera="false"`)
	req = strings.ReplaceAll(req, `inkludera="1"`, `inkludera="0"`)
	raw := postOK(t, url, []byte(req))
	validateAnswer(t, "10", raw)
	if len(svarsdata(t, answerDoc(t, raw))) != 0 {
		t.Errorf("agencies answered although none was included:\n%s", raw)
	}
	for b, a := range fs {
		if f, _ := a.last(); f != nil {
			t.Errorf("%s was asked", bastjanst.Kod(b))
		}
	}
}

func TestTestaBastjanstInformation(t *testing.T) {
	fs := newFakes(t)
	fs[ssbtekv1.Bastjanst_BASTJANST_SO].err = bastjanst.Timeout(errors.New("slow"))
	url := serve(t, fs.service(t), Config{})
	for _, ver := range []string{"10", "11", "1"} {
		req := `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><testaBastjanstInformation xmlns="` + versionByName(ver).ns + `"/></s:Body></s:Envelope>`
		raw := postOK(t, url, []byte(req))
		validateAnswer(t, ver, raw)
		body := answerDoc(t, raw)
		for _, kod := range agenciesOf(versionByName(ver)) {
			el := body.SelectElement(kod)
			if el == nil || el.SelectElement("anropad").Text() != "true" {
				t.Fatalf("v%s %s: not called", ver, kod)
			}
			if (el.SelectElement("error") != nil) != (kod == "SO") {
				t.Errorf("v%s %s: error element %v", ver, kod, el.SelectElement("error"))
			}
		}
	}
}
