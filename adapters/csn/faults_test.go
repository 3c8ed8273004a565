package csn

import (
	"net/http"
	"strings"
	"testing"

	"github.com/beevik/etree"

	"github.com/ssbtek/gateway/adapters/simkit"
	"github.com/ssbtek/gateway/adapters/soap"
	"github.com/ssbtek/gateway/bastjanst"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
	"github.com/ssbtek/gateway/internal/adaptertest"
)

// The injected faults, the fault header, an unreachable CSN and Testa's
// faults are adaptertest.Conformance's; what follows is CSN's own.

func TestHamtaWrongNamespace(t *testing.T) {
	sim := newSimulator()
	sim.SetWrongNamespace(true)
	a := adaptertest.Serve(t, Agency(), sim).Adapter(Agency())
	_, err := a.Hamta(t.Context(), adaptertest.Fraga(simkit.Tolvan), nil)
	if got := adaptertest.Felkod(err); got != bastjanst.FelkodOlasbart {
		t.Fatalf("felkod = %s, want %s (err %v)", got, bastjanst.FelkodOlasbart, err)
	}
}

// TestHamtaUnreadableAnswers breaks the simulator's answer in ways that the
// schema forbids and checks each counts as unreadable (2003).
func TestHamtaUnreadableAnswers(t *testing.T) {
	const arende = "Personer/Person/pers:Studiemedel/pers:Arenden/pers:Arende"
	const utbetalning = arende + "/sm:UtbetalningsPlan/sm:Utbetalning"
	tests := []struct {
		name   string
		pnr    string
		mutate func(*etree.Element)
	}{
		{"wrong root element", simkit.Tolvan, func(body *etree.Element) { body.Tag = "CSNSvarHut" }},
		{"no GemensamtSvarEkbistand", simkit.Tolvan, adaptertest.Remove("GemensamtSvarEkbistand")},
		{"no ResultatKod", simkit.Tolvan, adaptertest.Remove("GemensamtSvarEkbistand/Resultat/ResultatKod")},
		{"empty ResultatKod", simkit.Tolvan, adaptertest.SetText("GemensamtSvarEkbistand/Resultat/ResultatKod", " ")},
		{"no ResultatText", simkit.Felperson, adaptertest.Remove("GemensamtSvarEkbistand/Resultat/ResultatText")},
		{"no Personer", simkit.Tolvan, adaptertest.Remove("Personer")},
		{"no personnummer", simkit.Tolvan, func(body *etree.Element) {
			p := body.FindElement("Personer/Person")
			p.RemoveAttr("personnummer")
		}},
		{"another person", simkit.Tolvan, adaptertest.SetAttr("Personer/Person", "personnummer", simkit.Student[2:])},
		{"another century", simkit.Tolvan, adaptertest.SetAttr("Personer/Person", "sekel", "20")},
		{"Person in a foreign namespace", simkit.Tolvan, func(body *etree.Element) {
			p := body.FindElement("Personer/Person")
			p.Space = "x"
			p.CreateAttr("xmlns:x", "http://example.org/not-csn")
		}},
		{"no status", simkit.Tolvan, adaptertest.Remove(arende + "/sm:status")},
		{"status outside the contract", simkit.Tolvan, adaptertest.SetText(arende+"/sm:status", "KLAR")},
		{"no utbetdatum", simkit.Tolvan, adaptertest.Remove(utbetalning + "/typ:utbetdatum")},
		{"utbetdatum not a date", simkit.Tolvan, adaptertest.SetText(utbetalning+"/typ:utbetdatum", "20241350")},
		{"utbetstatus outside the contract", simkit.Tolvan, adaptertest.SetText(utbetalning+"/typ:utbetstatus", "Okänd")},
		{"belopp not a number", simkit.Tolvan, adaptertest.SetText(utbetalning+"/typ:Utbetaldatider/typ:Utbetaldtid/typ:totbelopp", "12 676")},
		{"vecka of seven digits", simkit.Tolvan, adaptertest.SetText(utbetalning+"/typ:Utbetaldatider/typ:Utbetaldtid/typ:startvecka", "2024011")},
		{"no sluttid", simkit.Tolvan, adaptertest.Remove(arende + "/sm:BeviljadeTider/sm:BeviljadTid/typ:sluttid")},
		{"takt over 100", simkit.Tolvan, adaptertest.SetText(arende+"/sm:BeviljadeTider/sm:BeviljadTid/typ:takt", "150")},
		{"Arende in the wrong namespace", simkit.Tolvan, func(body *etree.Element) {
			body.FindElement(arende).Space = "sm"
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := adaptertest.Serve(t, Agency(), adaptertest.RewriteSOAP(NewSimulator(), tt.mutate)).Adapter(Agency())
			_, err := a.Hamta(t.Context(), adaptertest.Fraga(tt.pnr), nil)
			if got := adaptertest.Felkod(err); got != bastjanst.FelkodOlasbart {
				t.Fatalf("felkod = %s, want %s (err %v)", got, bastjanst.FelkodOlasbart, err)
			}
			for _, pnr := range []string{simkit.Tolvan, simkit.Student, simkit.Tolvan[2:], simkit.Student[2:]} {
				if strings.Contains(err.Error(), pnr) {
					t.Errorf("error text holds a personnummer: %v", err)
				}
			}
		})
	}
}

// TestSchemaCatchesBrokenAnswers makes sure the validation the golden files
// rely on is real: the wrapper schema refuses what CSN's schema refuses.
func TestSchemaCatchesBrokenAnswers(t *testing.T) {
	xsd := schema(t)
	for name, mutate := range map[string]func(*etree.Element){
		"takt outside the enumeration":            adaptertest.SetText("Personer/Person/pers:Studiemedel/pers:Arenden/pers:Arende/sm:BeviljadeTider/sm:BeviljadTid/typ:takt", "33"),
		"echoed question without Personidentitet": adaptertest.Remove("GemensamtFragaEkbistand/sbn:Personidentitet"),
	} {
		t.Run(name, func(t *testing.T) {
			body := adaptertest.Envelope(t, ask(t, questionFor(simkit.Tolvan))).Body
			if adaptertest.Invalid(t, xsd, soap.Bytes(body)) {
				t.Fatal("the answer is invalid before it is broken")
			}
			mutate(body)
			if !adaptertest.Invalid(t, xsd, soap.Bytes(body)) {
				t.Error("a broken answer validates")
			}
		})
	}
}

// A SOAP fault is CSN's own word on the question: an error with kalla BT.
func TestHamtaSOAPFault(t *testing.T) {
	a := adaptertest.Serve(t, Agency(), adaptertest.FaultServer(soap.Fault{Code: "soap:Server", String: "Tjänsten är stängd för underhåll"})).Adapter(Agency())
	res, err := a.Hamta(t.Context(), adaptertest.Fraga(simkit.Tolvan), nil)
	if err != nil {
		t.Fatalf("Hamta: %v", err)
	}
	fel := res.GetFel()
	if fel.GetKalla() != ssbtekv1.Kalla_KALLA_BT || fel.GetFelkod() != "soap:Server" || fel.GetFelmeddelande() != "Tjänsten är stängd för underhåll" {
		t.Errorf("fel = %v", fel)
	}
}

// CSN answering the ping with its own error fails the ping.
func TestTestaNativeError(t *testing.T) {
	a := adaptertest.Serve(t, Agency(), adaptertest.RewriteSOAP(NewSimulator(), adaptertest.SetText("GemensamtSvarEkbistand/Resultat/ResultatKod", ResultatKodTeknisktFel))).Adapter(Agency())
	if got := adaptertest.Felkod(a.Testa(t.Context())); got != bastjanst.FelkodOtillganglig {
		t.Errorf("felkod = %s, want %s", got, bastjanst.FelkodOtillganglig)
	}
}

func TestSimulatorRefusesOtherQuestions(t *testing.T) {
	for name, q := range map[string]string{
		"foreign element": `<x:SBNUppgEkBistandBegar xmlns:x="http://example.org/x"/>`,
		"no person":       `<kf:SBNUppgEkBistandBegar xmlns:kf="` + NSKommunfraga + `"/>`,
		"short person": `<kf:SBNUppgEkBistandBegar xmlns:kf="` + NSKommunfraga + `" xmlns:sbn="` + NSSambruk + `">` +
			`<sbn:Personidentitet>1212121212</sbn:Personidentitet></kf:SBNUppgEkBistandBegar>`,
	} {
		t.Run(name, func(t *testing.T) {
			el, err := simkit.Document(q)
			if err != nil {
				t.Fatal(err)
			}
			status, raw := adaptertest.PostSOAP(t, NewSimulator(), "/", el)
			env, err := soap.Parse(raw)
			if err != nil || status != http.StatusInternalServerError || env.Fault == nil || env.Fault.Code != "soap:Client" {
				t.Errorf("answer = HTTP %d %s; want a soap:Client fault", status, raw)
			}
		})
	}
}
