package miv

import (
	"net/http"
	"strings"
	"testing"

	"github.com/beevik/etree"

	"github.com/ssbtek/gateway/adapters/simkit"
	"github.com/ssbtek/gateway/internal/adaptertest"
)

func TestGoldenRequest(t *testing.T) {
	srv := adaptertest.Serve(t, Agency(), NewSimulator())
	if _, err := srv.Adapter(Agency()).Hamta(t.Context(), adaptertest.Fraga(simkit.Tolvan), nil); err != nil {
		t.Fatalf("Hamta: %v", err)
	}
	raw := srv.Last(t).Request
	adaptertest.Golden(t, "request_tolvan.xml", raw)
	adaptertest.Validate(t, schemaPath, "request", adaptertest.Payload(t, raw))
}

// ask posts a findByPersonnummer with q straight to a simulator.
func ask(t *testing.T, sim http.Handler, q query) (int, []byte) {
	t.Helper()
	return adaptertest.PostSOAP(t, sim, "/", buildFraga(q))
}

func TestGoldenSimulatorAnswers(t *testing.T) {
	for _, tt := range []struct {
		file, pnr string
		status    int
	}{
		{"svar_tolvan.xml", simkit.Tolvan, http.StatusOK},
		{"svar_felperson.xml", simkit.Felperson, http.StatusInternalServerError},
		{"svar_nyanland.xml", simkit.Nyanland, http.StatusOK},
	} {
		t.Run(tt.file, func(t *testing.T) {
			status, raw := ask(t, NewSimulator(), queryFor(adaptertest.Fraga(tt.pnr)))
			if status != tt.status {
				t.Errorf("HTTP status = %d, want %d", status, tt.status)
			}
			adaptertest.Golden(t, tt.file, raw)
			adaptertest.Validate(t, schemaPath, "answer", adaptertest.Payload(t, raw))
		})
	}
}

// Every answer the simulator gives, with and without the optional fields of
// the question, validates against MIV's schema.
func TestSimulatorPayloadsValidate(t *testing.T) {
	persons := []string{
		simkit.Tolvan, simkit.Jobbsokare, simkit.Skyddad, simkit.Nyanland, simkit.Student,
		simkit.Pensionar, simkit.Felperson, simkit.Samordningsnummer, adaptertest.Nobody, pingPersonnummer,
	}
	for _, pnr := range persons {
		for _, q := range []query{queryFor(adaptertest.Fraga(pnr)), {personnummer: pnr, handlaggare: "H"}} {
			_, raw := ask(t, NewSimulator(), q)
			adaptertest.Validate(t, schemaPath, pnr, adaptertest.Payload(t, raw))
		}
	}
	t.Run("wrong namespace is really wrong", func(t *testing.T) {
		_, raw := ask(t, wrongNamespaceSimulator(), queryFor(adaptertest.Fraga(simkit.Nyanland)))
		if !adaptertest.Invalid(t, schemaPath, adaptertest.Payload(t, raw)) {
			t.Error("an answer in the wrong namespace validates against MIV's schema")
		}
	})
}

func TestSimulatorRejectsOtherRequests(t *testing.T) {
	for name, body := range map[string]*etree.Element{
		"unknown operation": etree.NewElement("ping"),
		"no personnummer": func() *etree.Element {
			el := buildFraga(query{handlaggare: "H"})
			q := el.SelectElement("query")
			q.RemoveChild(q.SelectElement("personnummer"))
			return el
		}(),
	} {
		t.Run(name, func(t *testing.T) {
			status, raw := adaptertest.PostSOAP(t, NewSimulator(), "/", body)
			e := adaptertest.Envelope(t, raw)
			if status != http.StatusInternalServerError || e.Fault == nil || !strings.HasSuffix(e.Fault.Code, "Client") {
				t.Errorf("got HTTP %d fault %v, want a client fault", status, e.Fault)
			}
		})
	}
}
