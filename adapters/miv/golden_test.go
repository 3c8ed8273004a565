package miv

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

// payload is what the MIV schema describes inside an envelope: the body's
// element, or for a fault MIV's exception in the detail.
func payload(t *testing.T, raw []byte) []byte {
	t.Helper()
	e := parse(t, raw)
	if e.Fault != nil {
		if e.Fault.Detail == nil {
			t.Fatal("fault has no detail")
		}
		return soap.Bytes(e.Fault.Detail)
	}
	return soap.Bytes(e.Body)
}

func TestGoldenRequest(t *testing.T) {
	e := newEnv(t)
	if _, err := e.adapter.Hamta(context.Background(), fraga(simkit.Tolvan), nil); err != nil {
		t.Fatalf("Hamta: %v", err)
	}
	raw := e.requests.last(t)
	golden(t, "request_tolvan.xml", raw)
	validate(t, "request", payload(t, raw))
}

// ask posts a findByPersonnummer for pnr straight to a simulator.
func ask(t *testing.T, sim http.Handler, q query) (int, []byte) {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/miv/ssbtek", bytes.NewReader(soap.Build(buildFraga(q))))
	req.Header.Set("Content-Type", soap.ContentType)
	rec := httptest.NewRecorder()
	sim.ServeHTTP(rec, req)
	return rec.Code, rec.Body.Bytes()
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
			status, raw := ask(t, NewSimulator(), queryFor(fraga(tt.pnr)))
			if status != tt.status {
				t.Errorf("HTTP status = %d, want %d", status, tt.status)
			}
			golden(t, tt.file, raw)
			validate(t, "answer", payload(t, raw))
		})
	}
}

// Every answer the simulator gives, with and without the optional fields of
// the question, validates against MIV's schema.
func TestSimulatorPayloadsValidate(t *testing.T) {
	persons := []string{
		simkit.Tolvan, simkit.Jobbsokare, simkit.Skyddad, simkit.Nyanland, simkit.Student,
		simkit.Pensionar, simkit.Felperson, simkit.Samordningsnummer, nobody, pingPersonnummer,
	}
	for _, pnr := range persons {
		for _, q := range []query{queryFor(fraga(pnr)), {personnummer: pnr, handlaggare: "H"}} {
			_, raw := ask(t, NewSimulator(), q)
			validate(t, pnr, payload(t, raw))
		}
	}
	t.Run("wrong namespace is really wrong", func(t *testing.T) {
		sim := NewSimulator().(*Simulator)
		sim.SetWrongNamespace(true)
		_, raw := ask(t, sim, queryFor(fraga(simkit.Nyanland)))
		if err := checkSchema(t, payload(t, raw)); err == nil {
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
			req := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(soap.Build(body)))
			rec := httptest.NewRecorder()
			NewSimulator().ServeHTTP(rec, req)
			e := parse(t, rec.Body.Bytes())
			if rec.Code != http.StatusInternalServerError || e.Fault == nil || !strings.HasSuffix(e.Fault.Code, "Client") {
				t.Errorf("got HTTP %d fault %v, want a client fault", rec.Code, e.Fault)
			}
		})
	}
}
