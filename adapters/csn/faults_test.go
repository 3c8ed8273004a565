package csn

import (
	"context"
	"errors"
	"net/http"
	"strings"
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
		fault  simkit.FaultKind
		felkod string // "" means the context's deadline must end the call
	}{
		{simkit.FaultHang, ""},
		{simkit.FaultHTTP500, bastjanst.FelkodOtillganglig},
		{simkit.FaultMalformed, bastjanst.FelkodOlasbart},
		{simkit.FaultTruncated, bastjanst.FelkodOlasbart},
		{simkit.FaultOversized, bastjanst.FelkodOlasbart},
	}
	for _, tt := range tests {
		t.Run(string(tt.fault), func(t *testing.T) {
			sim := NewSimulator()
			sim.Faults().Set(simkit.Fault{Kind: tt.fault})
			a := serve(t, sim)
			// Only the hang waits for the deadline; the others get time to
			// stream (16 MiB oversized) even under the race detector.
			d := 10 * time.Second
			if tt.felkod == "" {
				d = 300 * time.Millisecond
			}
			_, err := a.Hamta(deadline(t, d), fragaFor(simkit.Tolvan), nil)
			if err == nil {
				t.Fatal("Hamta succeeded despite the fault")
			}
			if tt.felkod == "" {
				if !errors.Is(err, context.DeadlineExceeded) {
					t.Fatalf("err = %v, want context deadline exceeded", err)
				}
				return
			}
			if got := felkod(err); got != tt.felkod {
				t.Errorf("felkod = %s, want %s (err %v)", got, tt.felkod, err)
			}
		})
	}
}

func TestHamtaFaultHeader(t *testing.T) {
	// A chaos client picks the fault per request; the simulator honours it.
	sim := NewSimulator()
	a := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Header.Set(simkit.FaultHeader, string(simkit.FaultHTTP500))
		sim.ServeHTTP(w, r)
	}))
	_, err := a.Hamta(t.Context(), fragaFor(simkit.Tolvan), nil)
	if got := felkod(err); got != bastjanst.FelkodOtillganglig {
		t.Fatalf("felkod = %s, want %s (err %v)", got, bastjanst.FelkodOtillganglig, err)
	}
}

func TestHamtaWrongNamespace(t *testing.T) {
	a := serve(t, NewSimulatorWith(AnswerInNamespace("http://schema.csn.se/v3.0/kommunfraga")))
	_, err := a.Hamta(t.Context(), fragaFor(simkit.Tolvan), nil)
	if got := felkod(err); got != bastjanst.FelkodOlasbart {
		t.Fatalf("felkod = %s, want %s (err %v)", got, bastjanst.FelkodOlasbart, err)
	}
}

// TestHamtaUnreadableAnswers breaks the simulator's answer in ways that the
// schema forbids and checks each counts as unreadable (2003).
func TestHamtaUnreadableAnswers(t *testing.T) {
	const arende = "Personer/Person/pers:Studiemedel/pers:Arenden/pers:Arende"
	const utbetalning = arende + "/sm:UtbetalningsPlan/sm:Utbetalning"
	remove := func(path string) func(*etree.Element) {
		return func(body *etree.Element) {
			e := body.FindElement(path)
			e.Parent().RemoveChild(e)
		}
	}
	set := func(path, text string) func(*etree.Element) {
		return func(body *etree.Element) { body.FindElement(path).SetText(text) }
	}
	setAttr := func(path, name, value string) func(*etree.Element) {
		return func(body *etree.Element) { body.FindElement(path).CreateAttr(name, value) }
	}
	tests := []struct {
		name   string
		pnr    string
		mutate func(*etree.Element)
	}{
		{"wrong root element", simkit.Tolvan, func(body *etree.Element) { body.Tag = "CSNSvarHut" }},
		{"no GemensamtSvarEkbistand", simkit.Tolvan, remove("GemensamtSvarEkbistand")},
		{"no ResultatKod", simkit.Tolvan, remove("GemensamtSvarEkbistand/Resultat/ResultatKod")},
		{"empty ResultatKod", simkit.Tolvan, set("GemensamtSvarEkbistand/Resultat/ResultatKod", " ")},
		{"no ResultatText", simkit.Felperson, remove("GemensamtSvarEkbistand/Resultat/ResultatText")},
		{"no Personer", simkit.Tolvan, remove("Personer")},
		{"no personnummer", simkit.Tolvan, func(body *etree.Element) {
			p := body.FindElement("Personer/Person")
			p.RemoveAttr("personnummer")
		}},
		{"another person", simkit.Tolvan, setAttr("Personer/Person", "personnummer", simkit.Student[2:])},
		{"another century", simkit.Tolvan, setAttr("Personer/Person", "sekel", "20")},
		{"Person in a foreign namespace", simkit.Tolvan, func(body *etree.Element) {
			p := body.FindElement("Personer/Person")
			p.Space = "x"
			p.CreateAttr("xmlns:x", "http://example.org/not-csn")
		}},
		{"no status", simkit.Tolvan, remove(arende + "/sm:status")},
		{"status outside the contract", simkit.Tolvan, set(arende+"/sm:status", "KLAR")},
		{"no utbetdatum", simkit.Tolvan, remove(utbetalning + "/typ:utbetdatum")},
		{"utbetdatum not a date", simkit.Tolvan, set(utbetalning+"/typ:utbetdatum", "20241350")},
		{"utbetstatus outside the contract", simkit.Tolvan, set(utbetalning+"/typ:utbetstatus", "Okänd")},
		{"belopp not a number", simkit.Tolvan, set(utbetalning+"/typ:Utbetaldatider/typ:Utbetaldtid/typ:totbelopp", "12 676")},
		{"vecka of seven digits", simkit.Tolvan, set(utbetalning+"/typ:Utbetaldatider/typ:Utbetaldtid/typ:startvecka", "2024011")},
		{"no sluttid", simkit.Tolvan, remove(arende + "/sm:BeviljadeTider/sm:BeviljadTid/typ:sluttid")},
		{"takt over 100", simkit.Tolvan, set(arende+"/sm:BeviljadeTider/sm:BeviljadTid/typ:takt", "150")},
		{"Arende in the wrong namespace", simkit.Tolvan, func(body *etree.Element) {
			body.FindElement(arende).Space = "sm"
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := serve(t, rewriteAnswer(NewSimulator(), tt.mutate))
			_, err := a.Hamta(t.Context(), fragaFor(tt.pnr), nil)
			if got := felkod(err); got != bastjanst.FelkodOlasbart {
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
		"takt outside the enumeration": func(b *etree.Element) {
			b.FindElement("Personer/Person/pers:Studiemedel/pers:Arenden/pers:Arende/sm:BeviljadeTider/sm:BeviljadTid/typ:takt").SetText("33")
		},
		"echoed question without Personidentitet": func(b *etree.Element) {
			e := b.FindElement("GemensamtFragaEkbistand/sbn:Personidentitet")
			e.Parent().RemoveChild(e)
		},
	} {
		t.Run(name, func(t *testing.T) {
			body := parseBody(t, ask(t, NewSimulator(), questionFor(simkit.Tolvan)))
			mutate(body)
			if err := xsdcheck.Check(xsd, soap.Bytes(body)); err == nil {
				t.Error("a broken answer validates")
			}
		})
	}
}

// A SOAP fault is CSN's own word on the question: an error with kalla BT.
func TestHamtaSOAPFault(t *testing.T) {
	a := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		simkit.WriteFault(w, soap.Fault{Code: "soap:Server", String: "Tjänsten är stängd för underhåll"})
	}))
	res, err := a.Hamta(t.Context(), fragaFor(simkit.Tolvan), nil)
	if err != nil {
		t.Fatalf("Hamta: %v", err)
	}
	fel := res.GetFel()
	if fel.GetKalla() != ssbtekv1.Kalla_KALLA_BT || fel.GetFelkod() != "soap:Server" || fel.GetFelmeddelande() != "Tjänsten är stängd för underhåll" {
		t.Errorf("fel = %v", fel)
	}
}

func TestTestaFaults(t *testing.T) {
	sim := NewSimulator()
	a := serve(t, sim)
	for _, tt := range []struct {
		fault  simkit.FaultKind
		felkod string
	}{
		{simkit.FaultHTTP500, bastjanst.FelkodOtillganglig},
		{simkit.FaultMalformed, bastjanst.FelkodOlasbart},
	} {
		sim.Faults().Set(simkit.Fault{Kind: tt.fault})
		if got := felkod(a.Testa(t.Context())); got != tt.felkod {
			t.Errorf("%s: felkod = %s, want %s", tt.fault, got, tt.felkod)
		}
	}
}

// CSN answering the ping with its own error fails the ping.
func TestTestaNativeError(t *testing.T) {
	a := serve(t, rewriteAnswer(NewSimulator(), func(body *etree.Element) {
		body.FindElement("GemensamtSvarEkbistand/Resultat/ResultatKod").SetText(ResultatKodTeknisktFel)
	}))
	if got := felkod(a.Testa(t.Context())); got != bastjanst.FelkodOtillganglig {
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
			rec := post(t, NewSimulator(), el)
			env, err := soap.Parse(rec.Body.Bytes())
			if err != nil || rec.Code != http.StatusInternalServerError || env.Fault == nil || env.Fault.Code != "soap:Client" {
				t.Errorf("answer = HTTP %d %s; want a soap:Client fault", rec.Code, rec.Body)
			}
		})
	}
}
