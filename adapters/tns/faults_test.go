package tns

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/beevik/etree"

	"github.com/ssbtek/gateway/adapters/simkit"
	"github.com/ssbtek/gateway/adapters/soap"
	"github.com/ssbtek/gateway/bastjanst"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
	"github.com/ssbtek/gateway/internal/xsdcheck"
)

func TestHamtaInjectedFaults(t *testing.T) {
	tests := []struct {
		kind   simkit.FaultKind
		felkod string
	}{
		{simkit.FaultHTTP500, bastjanst.FelkodOtillganglig},
		{simkit.FaultMalformed, bastjanst.FelkodOlasbart},
		{simkit.FaultTruncated, bastjanst.FelkodOlasbart},
		{simkit.FaultOversized, bastjanst.FelkodOlasbart},
	}
	for _, tt := range tests {
		t.Run(string(tt.kind), func(t *testing.T) {
			sim := NewSimulator()
			sim.Faults().Set(simkit.Fault{Kind: tt.kind})
			_, err := start(t, sim).Hamta(t.Context(), fraga(simkit.Tolvan), period())
			if err == nil {
				t.Fatal("Hamta succeeded")
			}
			if got := bastjanst.FelFor(err).GetFelkod(); got != tt.felkod {
				t.Errorf("felkod = %s, want %s (err %v)", got, tt.felkod, err)
			}
		})
	}
}

func TestHamtaHangEndsAtDeadline(t *testing.T) {
	sim := NewSimulator()
	sim.Faults().Set(simkit.Fault{Kind: simkit.FaultHang})
	ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
	defer cancel()
	_, err := start(t, sim).Hamta(ctx, fraga(simkit.Tolvan), period())
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want context deadline", err)
	}
}

func TestHamtaWrongNamespaceIsUnreadable(t *testing.T) {
	a := start(t, NewSimulatorWith(SimulatorOptions{WrongNamespace: true}))
	for _, pnr := range []string{simkit.Tolvan, simkit.Felperson} {
		_, err := a.Hamta(t.Context(), fraga(pnr), period())
		if got := bastjanst.FelFor(err).GetFelkod(); err == nil || got != bastjanst.FelkodOlasbart {
			t.Errorf("err = %v, want felkod %s", err, bastjanst.FelkodOlasbart)
		}
	}
}

// TestHamtaUnreadableAnswers feeds the adapter answers that break TS's
// contract in the ways the schema cares about.
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
			_, err := start(t, answering(t, body)).Hamta(t.Context(), fraga(simkit.Tolvan), period())
			if got := bastjanst.FelFor(err).GetFelkod(); err == nil || got != bastjanst.FelkodOlasbart {
				t.Errorf("err = %v, want felkod %s", err, bastjanst.FelkodOlasbart)
			}
		})
	}
}

// TestHamtaLenientWhereTheSchemaIs covers answers that are odd but valid.
func TestHamtaLenientWhereTheSchemaIs(t *testing.T) {
	const hu = `xmlns:hu="` + NSResponder + `" xmlns:f="` + NSFordon + `" xmlns:x="urn:example:extension"`
	body := `<hu:HamtaUppgifterResponse ` + hu + `><hu:resultat>OK</hu:resultat><hu:fordonsinnehav>` +
		`<f:fordon><f:regnr>ABC123</f:regnr><f:fabrikat>SAAB</f:fabrikat><f:fordonsar>okänt</f:fordonsar><f:fordonsslag>PERSONBIL</f:fordonsslag><f:handelsbeteckning>900</f:handelsbeteckning><x:extra/></f:fordon>` +
		`<x:extension/></hu:fordonsinnehav></hu:HamtaUppgifterResponse>`
	validate(t, []byte(body))
	res, err := start(t, answering(t, body)).Hamta(t.Context(), fraga(simkit.Tolvan), period())
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
	validate(t, []byte(body))
	res, err = start(t, answering(t, body)).Hamta(t.Context(), fraga(simkit.Tolvan), period())
	if err != nil {
		t.Fatalf("Hamta: %v", err)
	}
	if fel := res.GetFel(); fel.GetKalla() != ssbtekv1.Kalla_KALLA_BT || fel.GetFelkod() != "7" || fel.GetFelmeddelande() != "första; andra" {
		t.Errorf("fel = %v", fel)
	}
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
	incomplete := anropsinformation(&ssbtekv1.Fraga{Organisationsnummer: "162120001355", Ingivare: "Kommunen"}, period())

	tests := []struct {
		name    string
		headers []*etree.Element
		code    string
	}{
		{"no header", nil, "soap:Client"},
		{"no handlaggare nor arende", []*etree.Element{incomplete}, "soap:Client"},
		{"unknown mustUnderstand header", []*etree.Element{anropsinformation(fraga(simkit.Tolvan), period()), unknown}, "soap:MustUnderstand"},
	}
	srv := start(t, NewSimulator()).(*Adapter)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, err := srv.client.Call(t.Context(), ActionHamtaUppgifter, body, tt.headers...)
			if err != nil {
				t.Fatalf("Call: %v", err)
			}
			if resp.Fault == nil || resp.Fault.Code != tt.code {
				t.Fatalf("answer %s, want fault %s", resp.Raw, tt.code)
			}
		})
	}

	// Through the adapter, TS's refusal is TS's own error.
	f := fraga(simkit.Tolvan)
	f.Handlaggare = ""
	res, err := srv.Hamta(t.Context(), f, period())
	if err != nil {
		t.Fatalf("Hamta: %v", err)
	}
	if fel := res.GetFel(); fel.GetKalla() != ssbtekv1.Kalla_KALLA_BT || fel.GetFelkod() != "soap:Client" {
		t.Errorf("fel = %v, want kalla BT soap:Client", fel)
	}
}

func TestTesta(t *testing.T) {
	rec := &recorder{next: NewSimulator()}
	if err := start(t, rec).Testa(t.Context()); err != nil {
		t.Fatalf("Testa: %v", err)
	}
	ping := rec.last(t)
	for _, raw := range [][]byte{ping.request, ping.answer} {
		env, err := soap.Parse(raw)
		if err != nil {
			t.Fatal(err)
		}
		xsdcheck.Validate(t, pingXSD, soap.Bytes(env.Body))
	}

	for _, tt := range []struct {
		kind   simkit.FaultKind
		felkod string
	}{
		{simkit.FaultHTTP500, bastjanst.FelkodOtillganglig},
		{simkit.FaultMalformed, bastjanst.FelkodOlasbart},
	} {
		sim := NewSimulator()
		sim.Faults().Set(simkit.Fault{Kind: tt.kind})
		err := start(t, sim).Testa(t.Context())
		if got := bastjanst.FelFor(err).GetFelkod(); err == nil || got != tt.felkod {
			t.Errorf("%s: err = %v, want felkod %s", tt.kind, err, tt.felkod)
		}
	}

	// A HamtaUppgifter endpoint that does not know our ping says so.
	err := start(t, answering(t, `<hu:HamtaUppgifterResponse xmlns:hu="`+NSResponder+`"><hu:resultat>OK</hu:resultat></hu:HamtaUppgifterResponse>`)).Testa(t.Context())
	if got := bastjanst.FelFor(err).GetFelkod(); err == nil || got != bastjanst.FelkodOlasbart {
		t.Errorf("err = %v, want felkod %s", err, bastjanst.FelkodOlasbart)
	}
}
