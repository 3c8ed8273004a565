package tns

import (
	"net/http"
	"testing"

	"github.com/beevik/etree"

	"github.com/ssbtek/gateway/adapters/simkit"
	"github.com/ssbtek/gateway/adapters/soap"
	"github.com/ssbtek/gateway/bastjanst"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
	"github.com/ssbtek/gateway/internal/adaptertest"
	"github.com/ssbtek/gateway/internal/xsdcheck"
)

func TestHamtaWrongNamespaceIsUnreadable(t *testing.T) {
	a := adaptertest.Serve(t, Agency(), NewSimulatorWith(SimulatorOptions{WrongNamespace: true})).Adapter(Agency())
	for _, pnr := range []string{simkit.Tolvan, simkit.Felperson} {
		f := adaptertest.Fraga(pnr)
		_, err := a.Hamta(t.Context(), f, f.GetPeriod())
		if got := adaptertest.Felkod(err); err == nil || got != bastjanst.FelkodOlasbart {
			t.Errorf("err = %v, want felkod %s", err, bastjanst.FelkodOlasbart)
		}
	}
}

// TestHamtaUnreadableAnswers feeds the adapter answers that break TS's
// contract: most in ways the schema forbids, the rest in ways only the
// meaning does (FEL with no felresultat has no felkod to report).
func TestHamtaUnreadableAnswers(t *testing.T) {
	const hu = `xmlns:hu="` + NSResponder + `" xmlns:f="` + NSFordon + `"`
	tests := map[string]string{
		"wrong root":               `<hu:HamtaUppgifter ` + hu + `/>`,
		"no resultat":              `<hu:HamtaUppgifterResponse ` + hu + `><hu:fordonsinnehav/></hu:HamtaUppgifterResponse>`,
		"unknown resultat":         `<hu:HamtaUppgifterResponse ` + hu + `><hu:resultat>KANSKE</hu:resultat></hu:HamtaUppgifterResponse>`,
		"resultat in wrong ns":     `<hu:HamtaUppgifterResponse ` + hu + `><f:resultat>OK</f:resultat></hu:HamtaUppgifterResponse>`,
		"fordon without regnr":     `<hu:HamtaUppgifterResponse ` + hu + `><hu:resultat>OK</hu:resultat><hu:fordonsinnehav><f:fordon><f:fabrikat>SAAB</f:fabrikat><f:fordonsar>1990</f:fordonsar><f:fordonsslag>PERSONBIL</f:fordonsslag><f:handelsbeteckning>900</f:handelsbeteckning></f:fordon></hu:fordonsinnehav></hu:HamtaUppgifterResponse>`,
		"FEL without felresultat":  `<hu:HamtaUppgifterResponse ` + hu + `><hu:resultat>FEL</hu:resultat></hu:HamtaUppgifterResponse>`,
		"felkod not an int":        `<hu:HamtaUppgifterResponse ` + hu + `><hu:resultat>FEL</hu:resultat><hu:felresultat><hu:felkod>X1</hu:felkod><hu:feltext>fel</hu:feltext></hu:felresultat></hu:HamtaUppgifterResponse>`,
		"felresultat without text": `<hu:HamtaUppgifterResponse ` + hu + `><hu:resultat>FEL</hu:resultat><hu:felresultat><hu:felkod>1</hu:felkod></hu:felresultat></hu:HamtaUppgifterResponse>`,
		"fault without faultcode":  `<soap:Fault xmlns:soap="` + soap.EnvelopeNS + `"><faultstring>?</faultstring></soap:Fault>`,
		"empty body":               ``,
	}
	for name, body := range tests {
		t.Run(name, func(t *testing.T) {
			_, err := hamtaTolvan(t, answering(t, body))
			if got := adaptertest.Felkod(err); err == nil || got != bastjanst.FelkodOlasbart {
				t.Errorf("err = %v, want felkod %s", err, bastjanst.FelkodOlasbart)
			}
		})
	}
	// In a subtest, so that missing contracts skip only this check.
	t.Run("xsd", func(t *testing.T) {
		for _, name := range []string{"no resultat", "unknown resultat", "resultat in wrong ns", "fordon without regnr", "felkod not an int", "felresultat without text"} {
			if !adaptertest.Invalid(t, responderXSD, []byte(tests[name])) {
				t.Errorf("%s: TS's schema accepts it", name)
			}
		}
	})
}

// TestHamtaLenientWhereTheSchemaIs covers answers that are odd but valid.
func TestHamtaLenientWhereTheSchemaIs(t *testing.T) {
	const hu = `xmlns:hu="` + NSResponder + `" xmlns:f="` + NSFordon + `" xmlns:x="urn:example:extension"`
	body := `<hu:HamtaUppgifterResponse ` + hu + `><hu:resultat>OK</hu:resultat><hu:fordonsinnehav>` +
		`<f:fordon><f:regnr>ABC123</f:regnr><f:fabrikat>SAAB</f:fabrikat><f:fordonsar>okänt</f:fordonsar><f:fordonsslag>PERSONBIL</f:fordonsslag><f:handelsbeteckning>900</f:handelsbeteckning><x:extra/></f:fordon>` +
		`<x:extension/></hu:fordonsinnehav></hu:HamtaUppgifterResponse>`
	adaptertest.Validate(t, responderXSD, "extensions", []byte(body))
	res, err := hamtaTolvan(t, answering(t, body))
	if err != nil {
		t.Fatalf("Hamta: %v", err)
	}
	fordon := res.GetTns().GetFordon()
	if len(fordon) != 1 || fordon[0].GetRegistreringsnummer() != "ABC123" || fordon[0].GetFordonsar() != 0 {
		t.Errorf("fordon = %v, want ABC123 with fordonsår 0 (xs:string, not a year)", fordon)
	}

	// Several felresultat: the first code, every text.
	body = `<hu:HamtaUppgifterResponse ` + hu + `><hu:resultat>FEL</hu:resultat>` +
		`<hu:felresultat><hu:felkod>7</hu:felkod><hu:feltext>första</hu:feltext></hu:felresultat>` +
		`<hu:felresultat><hu:felkod>8</hu:felkod><hu:feltext>andra</hu:feltext></hu:felresultat></hu:HamtaUppgifterResponse>`
	adaptertest.Validate(t, responderXSD, "several felresultat", []byte(body))
	res, err = hamtaTolvan(t, answering(t, body))
	if err != nil {
		t.Fatalf("Hamta: %v", err)
	}
	if fel := res.GetFel(); fel.GetKalla() != ssbtekv1.Kalla_KALLA_BT || fel.GetFelkod() != "7" || fel.GetFelmeddelande() != "första; andra" {
		t.Errorf("fel = %v", fel)
	}
}

// hamtaTolvan asks h, standing in for TS, about Tolvan.
func hamtaTolvan(t *testing.T, h http.Handler) (*ssbtekv1.BastjanstResultat, error) {
	t.Helper()
	f := adaptertest.Fraga(simkit.Tolvan)
	return adaptertest.Serve(t, Agency(), h).Adapter(Agency()).Hamta(t.Context(), f, f.GetPeriod())
}

// answering is an endpoint that answers every request with body in an envelope.
func answering(t *testing.T, body string) http.Handler {
	t.Helper()
	var el *etree.Element
	if body != "" {
		var err error
		if el, err = simkit.Document(body); err != nil {
			t.Fatal(err)
		}
	}
	status := http.StatusOK
	if el != nil && el.Tag == "Fault" {
		status = http.StatusInternalServerError // as SOAP 1.1 sends faults
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", soap.ContentType)
		w.WriteHeader(status)
		w.Write(soap.Build(el))
	})
}

func TestSimulatorRequiresHeader(t *testing.T) {
	body, err := hamtaUppgifter(simkit.Tolvan)
	if err != nil {
		t.Fatal(err)
	}
	unknown := etree.NewElement("x:Annat")
	unknown.CreateAttr("xmlns:x", "urn:example:other")
	unknown.CreateAttr("soap:mustUnderstand", "1")
	f := adaptertest.Fraga(simkit.Tolvan)
	incomplete := adaptertest.Fraga(simkit.Tolvan)
	incomplete.Handlaggare, incomplete.Arendeidentitet = "", ""

	tests := []struct {
		name    string
		headers []*etree.Element
		code    string
	}{
		{"no header", nil, "soap:Client"},
		{"no handlaggare nor arende", []*etree.Element{anropsinformation(incomplete, incomplete.GetPeriod())}, "soap:Client"},
		{"unknown mustUnderstand header", []*etree.Element{anropsinformation(f, f.GetPeriod()), unknown}, "soap:MustUnderstand"},
	}
	server := adaptertest.Serve(t, Agency(), NewSimulator())
	client, srv := server.Config().SOAPClient(), server.Adapter(Agency())
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := client.Call(t.Context(), ActionHamtaUppgifter, body, tt.headers...)
			if err != nil {
				t.Fatalf("Call: %v", err)
			}
			if resp.Fault == nil || resp.Fault.Code != tt.code {
				t.Fatalf("answer %s, want fault %s", resp.Raw, tt.code)
			}
		})
	}

	// Through the adapter, TS's refusal is TS's own error.
	f.Handlaggare = ""
	res, err := srv.Hamta(t.Context(), f, f.GetPeriod())
	if err != nil {
		t.Fatalf("Hamta: %v", err)
	}
	if fel := res.GetFel(); fel.GetKalla() != ssbtekv1.Kalla_KALLA_BT || fel.GetFelkod() != "soap:Client" {
		t.Errorf("fel = %v, want kalla BT soap:Client", fel)
	}
}

// Testa up and down against the simulator is in the conformance suite; here
// the ping's schema (ours) and an endpoint that does not know the ping.
func TestTesta(t *testing.T) {
	srv := adaptertest.Serve(t, Agency(), NewSimulator())
	if err := srv.Adapter(Agency()).Testa(t.Context()); err != nil {
		t.Fatalf("Testa: %v", err)
	}
	ping := srv.Last(t)
	for _, raw := range [][]byte{ping.Request, ping.Answer} {
		xsdcheck.Validate(t, pingXSD, adaptertest.Payload(t, raw))
	}

	// A HamtaUppgifter endpoint that does not know our ping says so.
	h := answering(t, `<hu:HamtaUppgifterResponse xmlns:hu="`+NSResponder+`"><hu:resultat>OK</hu:resultat></hu:HamtaUppgifterResponse>`)
	err := adaptertest.Serve(t, Agency(), h).Adapter(Agency()).Testa(t.Context())
	if got := adaptertest.Felkod(err); err == nil || got != bastjanst.FelkodOlasbart {
		t.Errorf("err = %v, want felkod %s", err, bastjanst.FelkodOlasbart)
	}
}
