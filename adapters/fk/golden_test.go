package fk

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/ssbtek/gateway/adapters/simkit"
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

// fixedSimulator stamps its LefiFelsvar with a fixed time, for golden files.
func fixedSimulator() *Simulator {
	s := NewSimulator().(*Simulator)
	s.now = func() time.Time { return time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC) }
	return s
}

func TestGoldenRequest(t *testing.T) {
	e := newEnv(t)
	if _, err := e.adapter.Hamta(context.Background(), fragaOm(simkit.Tolvan), nil); err != nil {
		t.Fatalf("Hamta: %v", err)
	}
	raw := e.requests.last(t).body
	golden(t, "fraga_tolvan.json", raw)
	loadContract(t, true).validate(t, http.MethodPost, fragaURL, raw, 0, nil)
}

func TestGoldenSimulatorAnswers(t *testing.T) {
	c := loadContract(t, true)
	question := mustJSON(t, fragaFor(simkit.Tolvan, fragaOm(simkit.Tolvan).GetPeriod()))
	for _, tt := range []struct {
		file, pnr string
		status    int
	}{
		{"svar_tolvan.json", simkit.Tolvan, http.StatusOK},
		{"svar_felperson.json", simkit.Felperson, http.StatusInternalServerError},
	} {
		t.Run(tt.file, func(t *testing.T) {
			q := bytes.Replace(question, []byte(simkit.Tolvan), []byte(tt.pnr), 1)
			status, raw := ask(t, fixedSimulator(), http.MethodPost, fragaURL, q)
			if status != tt.status {
				t.Errorf("HTTP status = %d, want %d", status, tt.status)
			}
			golden(t, tt.file, raw)
			c.validate(t, http.MethodPost, fragaURL, q, status, raw)
		})
	}
	// The golden files themselves, as they are on disk, conform too.
	for file, status := range map[string]int{"svar_tolvan.json": http.StatusOK, "svar_felperson.json": http.StatusInternalServerError} {
		raw, err := os.ReadFile(filepath.Join("testdata", file))
		if err != nil {
			t.Fatal(err)
		}
		c.validate(t, http.MethodPost, fragaURL, question, status, raw)
	}
}
