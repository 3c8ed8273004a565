package skv

import (
	"net/http"
	"strings"
	"testing"

	"github.com/beevik/etree"

	"github.com/ssbtek/gateway/adapters/simkit"
	"github.com/ssbtek/gateway/adapters/soap"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
	"github.com/ssbtek/gateway/internal/adaptertest"
)

// The requests the adapter sends for Tolvan, without and with SSBTEK v11's
// SKV block. The escaped forfragan is also kept on its own, readable.
func TestGoldenRequest(t *testing.T) {
	for _, tt := range []struct {
		file, inner string
		fraga       *ssbtekv1.Fraga
	}{
		{"request_tolvan.xml", "forfragan_tolvan.xml", soapFraga(simkit.Tolvan)},
		{"request_tolvan_urval.xml", "forfragan_tolvan_urval.xml", fragaMedUrval(simkit.Tolvan, 2024, 2025)},
	} {
		t.Run(tt.file, func(t *testing.T) {
			srv := adaptertest.Serve(t, Agency(), NewSimulator())
			if _, err := srv.Adapter(Agency()).Hamta(t.Context(), tt.fraga, nil); err != nil {
				t.Fatalf("Hamta: %v", err)
			}
			raw := srv.Last(t).Request
			adaptertest.Golden(t, tt.file, raw)
			adaptertest.Validate(t, schemaPath, "request", adaptertest.Payload(t, raw))
			forfragan := soap.Text(adaptertest.Envelope(t, raw).Body, "forfragan")
			adaptertest.Golden(t, tt.inner, []byte(forfragan))
			wellFormed(t, forfragan, rootForfragan)
		})
	}
}

// ask posts a BeskattningsuppgifterRequest with forfragan straight to a simulator.
func ask(t *testing.T, sim http.Handler, forfragan string) (int, []byte) {
	t.Helper()
	return adaptertest.PostSOAP(t, sim, "/", buildRequest(forfragan))
}

// The simulator's answers for Tolvan (data), Felperson (SKV's fault) and the
// job seeker (SKV's empty answer); Tolvan's svar document also on its own.
func TestGoldenSimulatorAnswers(t *testing.T) {
	for _, tt := range []struct {
		file, inner, pnr string
		status           int
	}{
		{"svar_tolvan.xml", "svardokument_tolvan.xml", simkit.Tolvan, http.StatusOK},
		{"svar_jobbsokare.xml", "", simkit.Jobbsokare, http.StatusOK},
		{"svar_felperson.xml", "", simkit.Felperson, http.StatusInternalServerError},
	} {
		t.Run(tt.file, func(t *testing.T) {
			status, raw := ask(t, NewSimulator(), buildForfragan(soapFraga(tt.pnr), nil))
			if status != tt.status {
				t.Errorf("HTTP status = %d, want %d", status, tt.status)
			}
			adaptertest.Golden(t, tt.file, raw)
			adaptertest.Validate(t, schemaPath, "answer", adaptertest.Payload(t, raw))
			if tt.inner != "" {
				svar := soap.Text(adaptertest.Envelope(t, raw).Body, "svar")
				adaptertest.Golden(t, tt.inner, []byte(svar))
				wellFormed(t, svar, rootSvar)
			}
		})
	}
}

// Every answer the simulator gives, with and without the optional parts of
// the forfragan, validates against SKV's schema and carries a well-formed
// svar document.
func TestSimulatorPayloadsValidate(t *testing.T) {
	persons := []string{
		simkit.Tolvan, simkit.Jobbsokare, simkit.Skyddad, simkit.Nyanland, simkit.Student,
		simkit.Pensionar, simkit.Felperson, simkit.Samordningsnummer, adaptertest.Nobody, pingPersonidentitet,
	}
	minimal := func(pnr string) *ssbtekv1.Fraga {
		return &ssbtekv1.Fraga{Organisationsnummer: "162120000142", Handlaggare: "H", Arendeidentitet: "A", Personidentitet: pnr}
	}
	for _, pnr := range persons {
		for _, f := range []*ssbtekv1.Fraga{soapFraga(pnr), minimal(pnr), fragaMedUrval(pnr, 2024)} {
			_, raw := ask(t, NewSimulator(), buildForfragan(f, f.GetPeriod()))
			adaptertest.Validate(t, schemaPath, pnr, adaptertest.Payload(t, raw))
			if e := adaptertest.Envelope(t, raw); e.Fault == nil {
				wellFormed(t, soap.Text(e.Body, "svar"), rootSvar)
			}
		}
	}
	t.Run("wrong namespace is really wrong", func(t *testing.T) {
		_, raw := ask(t, wrongNamespaceSimulator(), buildForfragan(soapFraga(simkit.Tolvan), nil))
		if !adaptertest.Invalid(t, schemaPath, adaptertest.Payload(t, raw)) {
			t.Error("an answer in the wrong namespace validates against SKV's schema")
		}
	})
}

func TestSimulatorRejectsOtherRequests(t *testing.T) {
	noForfragan := etree.NewElement(prefix + ":" + elemFraga)
	noForfragan.CreateAttr("xmlns:"+prefix, Namespace)
	noPerson := strings.Replace(buildForfragan(soapFraga(simkit.Tolvan), nil), "<PersonLista>", "<PersonListaX>", 1)
	noPerson = strings.Replace(noPerson, "</PersonLista>", "</PersonListaX>", 1)
	tests := []struct {
		name string
		body *etree.Element
		// kod is the Exception's MeddelandeKod; "" means a plain client fault.
		kod string
	}{
		{"unknown operation", etree.NewElement("ping"), ""},
		{"no forfragan", noForfragan, otolkbarKod},
		{"forfragan not XML", buildRequest("inte xml"), otolkbarKod},
		{"forfragan without person", buildRequest(noPerson), otolkbarKod},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, raw := adaptertest.PostSOAP(t, NewSimulator(), "/", tt.body)
			e := adaptertest.Envelope(t, raw)
			if status != http.StatusInternalServerError || e.Fault == nil || !strings.HasSuffix(e.Fault.Code, "Client") {
				t.Fatalf("got HTTP %d fault %v, want a client fault", status, e.Fault)
			}
			if code, _ := faultFields(e.Fault); tt.kod != "" && code != tt.kod {
				t.Errorf("MeddelandeKod = %s, want %s", code, tt.kod)
			}
			if tt.kod != "" {
				adaptertest.Validate(t, schemaPath, "fault", adaptertest.Payload(t, raw))
			}
		})
	}
}
