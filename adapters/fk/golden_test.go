package fk

import (
	"bytes"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/ssbtek/gateway/adapters/simkit"
	"github.com/ssbtek/gateway/internal/adaptertest"
)

// fixedSimulator stamps its LefiFelsvar with a fixed time, for golden files.
func fixedSimulator() *Simulator {
	s := NewSimulator().(*Simulator)
	s.now = func() time.Time { return time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC) }
	return s
}

func TestGoldenRequest(t *testing.T) {
	srv := adaptertest.Serve(t, Agency(), NewSimulator())
	if _, err := srv.Adapter(Agency()).Hamta(t.Context(), adaptertest.Fraga(simkit.Tolvan), nil); err != nil {
		t.Fatalf("Hamta: %v", err)
	}
	raw := srv.Last(t).Request
	adaptertest.Golden(t, "fraga_tolvan.json", raw)
	loadContract(t, true).validate(t, http.MethodPost, fragaURL, raw, 0, nil)
}

func TestGoldenSimulatorAnswers(t *testing.T) {
	c := loadContract(t, true)
	question := mustJSON(t, fragaFor(simkit.Tolvan, adaptertest.Fraga(simkit.Tolvan).GetPeriod()))
	for _, tt := range []struct {
		file, pnr string
		status    int
	}{
		{"svar_tolvan.json", simkit.Tolvan, http.StatusOK},
		{"svar_felperson.json", simkit.Felperson, http.StatusInternalServerError},
	} {
		t.Run(tt.file, func(t *testing.T) {
			q := bytes.Replace(question, []byte(simkit.Tolvan), []byte(tt.pnr), 1)
			status, raw := adaptertest.Post(t, fixedSimulator(), fragaURL, mediaTypeJSON, q)
			if status != tt.status {
				t.Errorf("HTTP status = %d, want %d", status, tt.status)
			}
			adaptertest.Golden(t, tt.file, raw)
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
