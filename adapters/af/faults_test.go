package af

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

// The injected faults, the fault header, an unreachable AF and Testa's
// faults are adaptertest.Conformance's; what follows is AF's own.

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
	tests := []struct {
		name   string
		mutate func(*etree.Element)
	}{
		{"wrong root element", func(body *etree.Element) { body.Tag = "FragaMeddelande" }},
		{"no Fraga", adaptertest.Remove("Fraga")},
		{"no Svar", adaptertest.Remove("Svar")},
		{"no status code", adaptertest.Remove("Svar/StatusSokandeinformationKod")},
		{"no status text", adaptertest.Remove("Svar/StatusSokandeinformationKodText")},
		{"no person", adaptertest.Remove("Svar/IdentitetsbeteckningFysiskPerson")},
		{"status code not an int", adaptertest.SetText("Svar/StatusSokandeinformationKod", "noll")},
		{"boolean not a boolean", adaptertest.SetText("Svar/Sekretessmarkering", "ja")},
		{"date not a date", adaptertest.SetText("Svar/ArbetssokandeInfo/ArbetssokandeRegistrerad", "18/11/2016")},
		{"extent not an int", adaptertest.SetText("Svar/ArbetssokandeInfo/ArbetssokandeOmfattning", "")},
		{"another person", adaptertest.SetText("Svar/IdentitetsbeteckningFysiskPerson", simkit.Jobbsokare)},
		{"Svar in a foreign namespace", func(body *etree.Element) {
			svar := body.FindElement("Svar")
			svar.Space = "x"
			svar.CreateAttr("xmlns:x", "http://example.org/not-af")
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := adaptertest.Serve(t, Agency(), adaptertest.RewriteSOAP(NewSimulator(), tt.mutate)).Adapter(Agency())
			_, err := a.Hamta(t.Context(), adaptertest.Fraga(simkit.Tolvan), nil)
			if got := adaptertest.Felkod(err); got != bastjanst.FelkodOlasbart {
				t.Fatalf("felkod = %s, want %s (err %v)", got, bastjanst.FelkodOlasbart, err)
			}
			if strings.Contains(err.Error(), simkit.Tolvan) || strings.Contains(err.Error(), simkit.Jobbsokare) {
				t.Errorf("error text holds a personnummer: %v", err)
			}
		})
	}
}

func TestHamtaUnreadableBeslut(t *testing.T) {
	a := adaptertest.Serve(t, Agency(), adaptertest.RewriteSOAP(NewSimulator(), adaptertest.Remove("Svar/BeslutInfo/EkonomiskaBeslut/Beslut/BeslutTom"))).Adapter(Agency())
	_, err := a.Hamta(t.Context(), adaptertest.Fraga(simkit.Nyanland), nil)
	if got := adaptertest.Felkod(err); got != bastjanst.FelkodOlasbart {
		t.Fatalf("felkod = %s, want %s (err %v)", got, bastjanst.FelkodOlasbart, err)
	}
}

// A SOAP fault is AF's own word on the question: an error with kalla BT.
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
	if res.GetRadata() == nil {
		t.Error("the fault is not kept as radata")
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
			status, raw := adaptertest.PostSOAP(t, NewSimulator(), "/", el)
			env, err := soap.Parse(raw)
			if err != nil || status != http.StatusInternalServerError || env.Fault == nil || env.Fault.Code != "soap:Client" {
				t.Errorf("answer = HTTP %d %s; want a soap:Client fault", status, raw)
			}
		})
	}
}
