package skv

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/beevik/etree"

	"github.com/ssbtek/gateway/adapters/simkit"
	"github.com/ssbtek/gateway/adapters/soap"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
	"github.com/ssbtek/gateway/internal/adaptertest"
)

var update = adaptertest.Update

// golden compares got with testdata/name, or rewrites it under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatalf("writing golden: %v", err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("reading golden (run with -update to create it): %v", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (run with -update if the change is intended)\n--- got ---\n%s\n--- want ---\n%s", name, got, want)
	}
}

// The requests the adapter sends for Tolvan, without and with SSBTEK v11's
// SKV block. The escaped forfragan is also kept on its own, readable.
func TestGoldenRequest(t *testing.T) {
	for _, tt := range []struct {
		file, inner string
		fraga       *ssbtekv1.Fraga
	}{
		{"request_tolvan.xml", "forfragan_tolvan.xml", fraga(simkit.Tolvan)},
		{"request_tolvan_urval.xml", "forfragan_tolvan_urval.xml", fragaMedUrval(simkit.Tolvan, 2024, 2025)},
	} {
		t.Run(tt.file, func(t *testing.T) {
			e := newEnv(t)
			if _, err := e.adapter.Hamta(context.Background(), tt.fraga, nil); err != nil {
				t.Fatalf("Hamta: %v", err)
			}
			raw := e.requests.last(t)
			golden(t, tt.file, raw)
			validate(t, "request", payload(t, raw))
			forfragan := soap.Text(parse(t, raw).Body, "forfragan")
			golden(t, tt.inner, []byte(forfragan))
			wellFormed(t, forfragan, rootForfragan)
		})
	}
}

// ask posts a BeskattningsuppgifterRequest with forfragan straight to a simulator.
func ask(t *testing.T, sim http.Handler, forfragan string) (int, []byte) {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/skv/beskattningws", bytes.NewReader(soap.Build(buildRequest(forfragan))))
	req.Header.Set("Content-Type", soap.ContentType)
	rec := httptest.NewRecorder()
	sim.ServeHTTP(rec, req)
	return rec.Code, rec.Body.Bytes()
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
			status, raw := ask(t, NewSimulator(), buildForfragan(fraga(tt.pnr), nil))
			if status != tt.status {
				t.Errorf("HTTP status = %d, want %d", status, tt.status)
			}
			golden(t, tt.file, raw)
			validate(t, "answer", payload(t, raw))
			if tt.inner != "" {
				svar := soap.Text(parse(t, raw).Body, "svar")
				golden(t, tt.inner, []byte(svar))
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
		simkit.Pensionar, simkit.Felperson, simkit.Samordningsnummer, nobody, pingPersonidentitet,
	}
	minimal := func(pnr string) *ssbtekv1.Fraga {
		return &ssbtekv1.Fraga{Organisationsnummer: "162120000142", Handlaggare: "H", Arendeidentitet: "A", Personidentitet: pnr}
	}
	for _, pnr := range persons {
		for _, f := range []*ssbtekv1.Fraga{fraga(pnr), minimal(pnr), fragaMedUrval(pnr, 2024)} {
			_, raw := ask(t, NewSimulator(), buildForfragan(f, f.GetPeriod()))
			validate(t, pnr, payload(t, raw))
			if e := parse(t, raw); e.Fault == nil {
				wellFormed(t, soap.Text(e.Body, "svar"), rootSvar)
			}
		}
	}
	t.Run("wrong namespace is really wrong", func(t *testing.T) {
		sim := NewSimulator().(*Simulator)
		sim.SetWrongNamespace(true)
		_, raw := ask(t, sim, buildForfragan(fraga(simkit.Tolvan), nil))
		if err := checkSchema(t, payload(t, raw)); err == nil {
			t.Error("an answer in the wrong namespace validates against SKV's schema")
		}
	})
}

func TestSimulatorRejectsOtherRequests(t *testing.T) {
	noForfragan := etree.NewElement(prefix + ":" + elemFraga)
	noForfragan.CreateAttr("xmlns:"+prefix, Namespace)
	noPerson := strings.Replace(buildForfragan(fraga(simkit.Tolvan), nil), "<PersonLista>", "<PersonListaX>", 1)
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
			req := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(soap.Build(tt.body)))
			rec := httptest.NewRecorder()
			NewSimulator().ServeHTTP(rec, req)
			e := parse(t, rec.Body.Bytes())
			if rec.Code != http.StatusInternalServerError || e.Fault == nil || !strings.HasSuffix(e.Fault.Code, "Client") {
				t.Fatalf("got HTTP %d fault %v, want a client fault", rec.Code, e.Fault)
			}
			if code, _ := faultFields(e.Fault); tt.kod != "" && code != tt.kod {
				t.Errorf("MeddelandeKod = %s, want %s", code, tt.kod)
			}
			if tt.kod != "" {
				validate(t, "fault", payload(t, rec.Body.Bytes()))
			}
		})
	}
}
