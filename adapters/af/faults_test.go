package af

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
			_, err := a.Hamta(deadline(t, 500*time.Millisecond), fragaFor(simkit.Tolvan), nil)
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

func TestHamtaWrongNamespace(t *testing.T) {
	a := serve(t, NewSimulatorWith(AnswerInNamespace("http://example.org/not-af")))
	_, err := a.Hamta(t.Context(), fragaFor(simkit.Tolvan), nil)
	if got := felkod(err); got != bastjanst.FelkodOlasbart {
		t.Fatalf("felkod = %s, want %s (err %v)", got, bastjanst.FelkodOlasbart, err)
	}
}

// TestHamtaUnreadableAnswers breaks the simulator's answer in ways that the
// schema forbids and checks each counts as unreadable (2003).
func TestHamtaUnreadableAnswers(t *testing.T) {
	remove := func(path string) func(*etree.Element) {
		return func(body *etree.Element) {
			e := body.FindElement(path)
			e.Parent().RemoveChild(e)
		}
	}
	set := func(path, text string) func(*etree.Element) {
		return func(body *etree.Element) { body.FindElement(path).SetText(text) }
	}
	tests := []struct {
		name   string
		mutate func(*etree.Element)
	}{
		{"wrong root element", func(body *etree.Element) { body.Tag = "FragaMeddelande" }},
		{"no Fraga", remove("Fraga")},
		{"no Svar", remove("Svar")},
		{"no status code", remove("Svar/StatusSokandeinformationKod")},
		{"no status text", remove("Svar/StatusSokandeinformationKodText")},
		{"no person", remove("Svar/IdentitetsbeteckningFysiskPerson")},
		{"status code not an int", set("Svar/StatusSokandeinformationKod", "noll")},
		{"boolean not a boolean", set("Svar/Sekretessmarkering", "ja")},
		{"date not a date", set("Svar/ArbetssokandeInfo/ArbetssokandeRegistrerad", "18/11/2016")},
		{"extent not an int", set("Svar/ArbetssokandeInfo/ArbetssokandeOmfattning", "")},
		{"another person", set("Svar/IdentitetsbeteckningFysiskPerson", simkit.Jobbsokare)},
		{"Svar in a foreign namespace", func(body *etree.Element) {
			svar := body.FindElement("Svar")
			svar.Space = "x"
			svar.CreateAttr("xmlns:x", "http://example.org/not-af")
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := serve(t, rewriteAnswer(NewSimulator(), tt.mutate))
			_, err := a.Hamta(t.Context(), fragaFor(simkit.Tolvan), nil)
			if got := felkod(err); got != bastjanst.FelkodOlasbart {
				t.Fatalf("felkod = %s, want %s (err %v)", got, bastjanst.FelkodOlasbart, err)
			}
			if strings.Contains(err.Error(), simkit.Tolvan) || strings.Contains(err.Error(), simkit.Jobbsokare) {
				t.Errorf("error text holds a personnummer: %v", err)
			}
		})
	}
}

func TestHamtaUnreadableBeslut(t *testing.T) {
	a := serve(t, rewriteAnswer(NewSimulator(), func(body *etree.Element) {
		b := body.FindElement("Svar/BeslutInfo/EkonomiskaBeslut/Beslut/BeslutTom")
		b.Parent().RemoveChild(b)
	}))
	_, err := a.Hamta(t.Context(), fragaFor(simkit.Nyanland), nil)
	if got := felkod(err); got != bastjanst.FelkodOlasbart {
		t.Fatalf("felkod = %s, want %s (err %v)", got, bastjanst.FelkodOlasbart, err)
	}
}

// A SOAP fault is AF's own word on the question: an error with kalla BT.
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
	if res.GetRadata() == nil {
		t.Error("the fault is not kept as radata")
	}
}

func TestTestaFaults(t *testing.T) {
	sim := NewSimulator()
	sim.Faults().Set(simkit.Fault{Kind: simkit.FaultHTTP500})
	a := serve(t, sim)
	if got := felkod(a.Testa(t.Context())); got != bastjanst.FelkodOtillganglig {
		t.Errorf("felkod = %s, want %s", got, bastjanst.FelkodOtillganglig)
	}
	sim.Faults().Set(simkit.Fault{Kind: simkit.FaultMalformed})
	if got := felkod(a.Testa(t.Context())); got != bastjanst.FelkodOlasbart {
		t.Errorf("felkod = %s, want %s", got, bastjanst.FelkodOlasbart)
	}
}

func TestSimulatorRefusesOtherQuestions(t *testing.T) {
	for name, q := range map[string]string{
		"foreign element": `<x:Fraga xmlns:x="http://example.org/x"/>`,
		"no person":       `<ers:FragaMeddelande xmlns:ers="` + Namespace + `"><ers:Fraga/></ers:FragaMeddelande>`,
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
