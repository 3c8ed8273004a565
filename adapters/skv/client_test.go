package skv

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/beevik/etree"
	"google.golang.org/protobuf/proto"

	"github.com/ssbtek/gateway/adapters"
	"github.com/ssbtek/gateway/adapters/simkit"
	"github.com/ssbtek/gateway/adapters/soap"
	"github.com/ssbtek/gateway/bastjanst"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
	"github.com/ssbtek/gateway/internal/adaptertest"
)

// typedYear is one year as the simulator types it; utbetalt 0 means the
// payment lay outside the period asked.
func typedYear(ar int32, summa, over, utbetalt int64, dag string, taxerad, skatt int64, taxdag, from, tom string) *ssbtekv1.Taxeringsuppgift {
	u := &ssbtekv1.Taxeringsuppgift{
		Taxeringsar: ar, SummaIntakterKapitalKronor: p(summa), OverskottKapitalKronor: p(over),
		TaxeradInkomstKronor: p(taxerad), SlutligSkattKronor: p(skatt), Taxeringsdatum: taxdag, From: from, Tom: tom,
	}
	if utbetalt != 0 {
		u.UtbetaltBeloppTillKontohavareKronor, u.BokforingsdagForUtbetalningar = p(utbetalt), dag
	}
	return u
}

// beskattning is the typed answer for the years given, the first version's
// fields from the latest.
func beskattning(years ...*ssbtekv1.Taxeringsuppgift) *ssbtekv1.Beskattning {
	b := &ssbtekv1.Beskattning{Taxeringar: years, StatusPersonuppgiftKod: "999"}
	for _, y := range years {
		if y.GetTaxeringsar() > b.Taxeringsar {
			b.Taxeringsar, b.SummaIntakterKapital, b.OverskottKapital = y.GetTaxeringsar(), y.GetSummaIntakterKapitalKronor(), y.GetOverskottKapitalKronor()
			b.UtbetaltBeloppTillKontohavare, b.BokforingsdagForUtbetalningar = y.GetUtbetaltBeloppTillKontohavareKronor(), y.GetBokforingsdagForUtbetalningar()
		}
	}
	return b
}

// withPeriod sets f's period.
func withPeriod(f *ssbtekv1.Fraga, from, tom string) *ssbtekv1.Fraga {
	f.Period = &ssbtekv1.Tidsperiod{From: from, Tom: tom}
	return f
}

func TestHamtaTestPersons(t *testing.T) {
	// Tolvan's latest year; its payment (2026-09-11) lies outside the standard question's period.
	tolvan := beskattning(typedYear(2026, 12840, 10290, 0, "", 325600, 97100, "2026-06-16", "2025-01-01", "2025-12-31"))
	// Skyddad's payment (2024-02-28) lies outside it too.
	skyddad := beskattning(typedYear(2025, 1540, 1120, 0, "", 241800, 63100, "2025-06-17", "2024-01-01", "2024-12-31"))
	tolvan2024 := typedYear(2024, 8412, 6130, 2150, "2023-03-15", 298700, 87650, "2024-06-18", "2023-01-01", "2023-12-31")
	tolvan2025 := typedYear(2025, 11250, 9870, 3420, "2024-03-14", 312400, 94300, "2025-06-17", "2024-01-01", "2024-12-31")
	tolvan2026 := typedYear(2026, 12840, 10290, 4180, "2026-09-11", 325600, 97100, "2026-06-16", "2025-01-01", "2025-12-31")
	const (
		ok     = ssbtekv1.StatusKod_STATUS_KOD_OK
		saknas = ssbtekv1.StatusKod_STATUS_KOD_UPPGIFTSAKNAS
	)
	tests := []struct {
		name    string
		fraga   *ssbtekv1.Fraga
		status  ssbtekv1.StatusKod
		content *ssbtekv1.Beskattning // nil: no typed content
		fel     *ssbtekv1.Fel
		// radata is the local name of Radata's root element.
		radata string
	}{
		{"Tolvan has taxation", soapFraga(simkit.Tolvan), ok, tolvan, nil, elemSvar},
		{"Tolvan, taxeringsår asked for, its payment in the period", withPeriod(fragaMedUrval(simkit.Tolvan, 2024), "2023-01-01", "2023-12-31"), ok, beskattning(tolvan2024), nil, elemSvar},
		{"Tolvan, two years: both typed", withPeriod(fragaMedUrval(simkit.Tolvan, 2024, 2025), "2023-01-01", "2024-12-31"), ok, beskattning(tolvan2024, tolvan2025), nil, elemSvar},
		{"Tolvan, the autumn of 2026: the refund paid then", withPeriod(soapFraga(simkit.Tolvan), "2026-08-01", "2026-10-31"), ok, beskattning(tolvan2026), nil, elemSvar},
		{"Tolvan, a year SKV lacks", fragaMedUrval(simkit.Tolvan, 2019), saknas, nil, nil, elemSvar},
		// SKV's contract has no protected-identity flag: plain data.
		{"Skyddad has data, unmarked", soapFraga(simkit.Skyddad), ok, skyddad, nil, elemSvar},
		{"Jobbsokare", soapFraga(simkit.Jobbsokare), saknas, nil, nil, elemSvar},
		{"Nyanland", soapFraga(simkit.Nyanland), saknas, nil, nil, elemSvar},
		{"Student", soapFraga(simkit.Student), saknas, nil, nil, elemSvar},
		{"Pensionar", soapFraga(simkit.Pensionar), saknas, nil, nil, elemSvar},
		{"Samordningsnummer", soapFraga(simkit.Samordningsnummer), saknas, nil, nil, elemSvar},
		{"any other valid number", soapFraga(adaptertest.Nobody), saknas, nil, nil, elemSvar},
		{
			"Felperson gets SKV's Exception", soapFraga(simkit.Felperson), ssbtekv1.StatusKod_STATUS_KOD_ANNATFEL, nil,
			&ssbtekv1.Fel{Kalla: ssbtekv1.Kalla_KALLA_BT, Felkod: felpersonKod, Felmeddelande: felpersonText},
			"Fault",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := adaptertest.Serve(t, Agency(), NewSimulator()).Adapter(Agency()).Hamta(t.Context(), tt.fraga, nil)
			if err != nil {
				t.Fatalf("Hamta: %v", err)
			}
			adaptertest.CheckResult(t, Agency(), res, adaptertest.Want{Status: tt.status, Fel: tt.fel, Content: tt.content, MediaType: "text/xml"})
			root := adaptertest.RadataRoot(t, res)
			if root.Tag != tt.radata {
				t.Errorf("radata root = %s, want %s", root.Tag, tt.radata)
			}
			if tt.radata == elemSvar {
				// svar stays the escaped svar document, for the shim to copy.
				wellFormed(t, soap.Text(root, "svar"), rootSvar)
				adaptertest.Validate(t, schemaPath, "radata", adaptertest.RadataAnswer(t, res))
			}
		})
	}
}

func TestHamtaSendsUrvalAndPeriod(t *testing.T) {
	srv := adaptertest.Serve(t, Agency(), NewSimulator())
	ad := srv.Adapter(Agency())
	f := fragaMedUrval(simkit.Tolvan, 2024, 2025)
	f.BastjanstPerioder = []*ssbtekv1.BastjanstPeriod{{
		Bastjanst: ssbtekv1.Bastjanst_BASTJANST_SKV,
		Period:    &ssbtekv1.Tidsperiod{From: "2025-01-01", Tom: "2025-12-31"},
	}}
	if _, err := ad.Hamta(t.Context(), f, nil); err != nil {
		t.Fatalf("Hamta: %v", err)
	}
	forfragan := soap.Text(adaptertest.Envelope(t, srv.Last(t).Request).Body, "forfragan")
	root, err := readInner(forfragan, rootForfragan)
	if err != nil {
		t.Fatalf("forfragan: %v", err)
	}
	for path, want := range map[string]string{
		"Tidsperiod/FromDatum":      "2025-01-01",
		"Tidsperiod/TomDatum":       "2025-12-31",
		"Urval/Ar[1]":               "2024",
		"Urval/Ar[2]":               "2025",
		"Urval/Foretagsinformation": "false",
		"Urval/Individuppgifter":    "true",
		"Urval/Skattekonto":         "false",
		"Urval/Skatteuppgifter":     "true",
		"Urval/Beskattningsbilagor": "false",
		"Ombud":                     "556677889900",
	} {
		el := root.FindElement(path)
		if el == nil || el.Text() != want {
			t.Errorf("%s = %v, want %q", path, el, want)
		}
	}
	// Each biträde keeps its own number, name and organisationsnummer.
	for _, b := range f.GetPersonuppgiftsbitrade() {
		p := fmt.Sprintf("Personuppgiftsbitrade[Ordningsnummer='%d']/", b.GetOrdningsnummer())
		for path, want := range map[string]string{p + "Organisationsnummer": b.GetOrganisationsnummer(), p + "Namn": b.GetNamn()} {
			if el := root.FindElement(path); el == nil || el.Text() != want {
				t.Errorf("%s = %v, want %q", path, el, want)
			}
		}
	}
	if n := len(root.SelectElements("Personuppgiftsbitrade")); n != 2 {
		t.Errorf("forfragan has %d Personuppgiftsbitrade, want 2", n)
	}
	// Without the block, no Urval: SKV answers with the latest taxation.
	if _, err := ad.Hamta(t.Context(), soapFraga(simkit.Tolvan), nil); err != nil {
		t.Fatalf("Hamta: %v", err)
	}
	root, err = readInner(soap.Text(adaptertest.Envelope(t, srv.Last(t).Request).Body, "forfragan"), rootForfragan)
	if err != nil {
		t.Fatalf("forfragan: %v", err)
	}
	if root.FindElement("Urval") != nil {
		t.Error("forfragan has an Urval though the question has no SKV block")
	}
}

// Answers SKV's client cannot read: the simulator's answer for Tolvan broken
// in one place each, or all of it in a namespace other than SKV's. Tolvan has
// data, so none of them can pass for SKV's empty answer.
func TestHamtaUnreadableSvar(t *testing.T) {
	broken := func(mutate func(body *etree.Element)) http.Handler {
		return adaptertest.RewriteSOAP(NewSimulator(), mutate)
	}
	tests := map[string]http.Handler{
		"svar is not XML": broken(func(body *etree.Element) {
			body.SelectElement("svar").SetText("<SvarBeskattningsuppgifterEnligtSFS2008-975")
		}),
		"svar about someone else": broken(func(body *etree.Element) {
			body.SelectElement("svar").SetText(svarDokument(forfraganFields{personidentitet: simkit.Skyddad}))
		}),
		"no svar element":    broken(func(body *etree.Element) { body.RemoveChild(body.SelectElement("svar")) }),
		"wrong root element": broken(func(body *etree.Element) { body.Tag = elemFraga }),
		"wrong namespace":    wrongNamespaceSimulator(),
	}
	for name, h := range tests {
		t.Run(name, func(t *testing.T) {
			_, err := adaptertest.Serve(t, Agency(), h).Adapter(Agency()).Hamta(t.Context(), soapFraga(simkit.Tolvan), nil)
			if got := adaptertest.Felkod(err); got != bastjanst.FelkodOlasbart {
				t.Errorf("felkod = %s, want %s (err %v)", got, bastjanst.FelkodOlasbart, err)
			}
			if err != nil && (strings.Contains(err.Error(), simkit.Tolvan) || strings.Contains(err.Error(), simkit.Skyddad)) {
				t.Errorf("error text holds a personnummer: %v", err)
			}
		})
	}
}

func TestHamtaFaultsWithoutException(t *testing.T) {
	partial := etree.NewElement(prefix + ":" + elemFelsvar)
	partial.CreateAttr("xmlns:"+prefix, Namespace)
	partial.CreateElement("MeddelandeKod").SetText("9071999")
	tests := []struct {
		name  string
		fault soap.Fault
		want  *ssbtekv1.Fel
	}{
		{"plain SOAP fault", soap.Fault{Code: "soap:Server", String: "Internal Error"},
			&ssbtekv1.Fel{Kalla: ssbtekv1.Kalla_KALLA_BT, Felkod: "soap:Server", Felmeddelande: "Internal Error"}},
		{"Exception without MeddelandeText", soap.Fault{Code: "soap:Server", String: "Internal Error", Detail: partial},
			&ssbtekv1.Fel{Kalla: ssbtekv1.Kalla_KALLA_BT, Felkod: "9071999", Felmeddelande: "Internal Error"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := adaptertest.Serve(t, Agency(), adaptertest.FaultServer(tt.fault)).Adapter(Agency()).Hamta(t.Context(), soapFraga(simkit.Tolvan), nil)
			if err != nil {
				t.Fatalf("Hamta: %v", err)
			}
			if !proto.Equal(res.GetFel(), tt.want) {
				t.Errorf("fel = %v, want %v", res.GetFel(), tt.want)
			}
		})
	}
}

func TestTesta(t *testing.T) {
	t.Run("simulator answers the ping", func(t *testing.T) {
		srv := adaptertest.Serve(t, Agency(), NewSimulator())
		if err := srv.Adapter(Agency()).Testa(t.Context()); err != nil {
			t.Fatalf("Testa: %v", err)
		}
		ex := srv.Exchanges()
		if len(ex) != 2 {
			t.Fatalf("Testa made %d calls, want the SOAP ping and the parts' ping", len(ex))
		}
		raw := ex[0].Request
		adaptertest.Validate(t, schemaPath, "ping", adaptertest.Payload(t, raw))
		if want := "/aktorer/" + adapters.DefaultOperator + "/skattekonto/fraga"; !strings.HasSuffix(ex[1].Path, want) {
			t.Errorf("the parts' ping went to %s, want …%s", ex[1].Path, want)
		}
		q, err := readForfragan(soap.Text(adaptertest.Envelope(t, raw).Body, "forfragan"))
		if err != nil {
			t.Fatalf("ping forfragan: %v", err)
		}
		if q.personidentitet != pingPersonidentitet {
			t.Errorf("ping asked about %q, want the ping identity", q.personidentitet)
		}
	})
	// HTTP 500 and malformed answers: see the conformance suite.
	failures := []struct {
		name   string
		server http.Handler
		felkod string
	}{
		{"wrong namespace", wrongNamespaceSimulator(), bastjanst.FelkodOlasbart},
		// SKV's own error to the ping still means it cannot answer questions.
		{"SKV's Exception", adaptertest.FaultServer(felsvar("soap:Server", felpersonKod, felpersonText)), bastjanst.FelkodOtillganglig},
	}
	for _, tt := range failures {
		t.Run(tt.name, func(t *testing.T) {
			err := adaptertest.Serve(t, Agency(), tt.server).Adapter(Agency()).Testa(t.Context())
			if got := adaptertest.Felkod(err); got != tt.felkod {
				t.Errorf("felkod = %s, want %s (err %v)", got, tt.felkod, err)
			}
		})
	}
}

// No case worker asks the ping: the ingivare is the gateway's operator.
// The last call is the parts' ping, whose path names the actor.
func TestTestaNamesOperator(t *testing.T) {
	adaptertest.CheckOperator(t, Agency(), func(t *testing.T, ping adaptertest.Exchange) string {
		aktor, _, ok := strings.Cut(strings.TrimPrefix(ping.Path[strings.Index(ping.Path, "/aktorer/")+1:], "aktorer/"), "/")
		if !ok {
			t.Fatalf("the parts' ping went to %s", ping.Path)
		}
		return aktor
	})
}

// SKV may wrap svar in CDATA, as the SSBTEK sample shows it; it reads the same.
func TestHamtaSvarInCDATA(t *testing.T) {
	srv := adaptertest.Serve(t, Agency(), adaptertest.RewriteSOAP(NewSimulator(), func(body *etree.Element) {
		svar := body.SelectElement("svar")
		svar.SetCData(svar.Text())
	}))
	res, err := srv.Adapter(Agency()).Hamta(t.Context(), soapFraga(simkit.Tolvan), nil)
	if err != nil {
		t.Fatalf("Hamta: %v", err)
	}
	answer := srv.Last(t).Answer
	if !bytes.Contains(answer, []byte("<![CDATA[")) {
		t.Fatalf("the answer has no CDATA section:\n%s", answer)
	}
	adaptertest.Validate(t, schemaPath, "cdata", adaptertest.Payload(t, answer))
	if got := res.GetSkv().GetTaxeringsar(); got != 2026 {
		t.Errorf("taxeringsar = %d, want 2026", got)
	}
}
