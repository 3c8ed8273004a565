package tns

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/ssbtek/gateway/adapters/simkit"
	"github.com/ssbtek/gateway/adapters/soap"
	"github.com/ssbtek/gateway/internal/adaptertest"
	"github.com/ssbtek/gateway/internal/xsdcheck"
)

var update = adaptertest.Update

// TestGolden pins what crosses the wire: the request the adapter sends for
// Tolvan and the simulator's answers for Tolvan and Felperson. Each must also
// meet TS's schema (the body) and ours (the header).
func TestGolden(t *testing.T) {
	rec := &recorder{next: NewSimulator()}
	a := start(t, rec)

	if _, err := a.Hamta(t.Context(), fraga(simkit.Tolvan), period()); err != nil {
		t.Fatalf("Hamta Tolvan: %v", err)
	}
	tolvan := rec.last(t)
	if _, err := a.Hamta(t.Context(), fraga(simkit.Felperson), period()); err != nil {
		t.Fatalf("Hamta Felperson: %v", err)
	}
	felperson := rec.last(t)

	for _, g := range []struct {
		file   string
		got    []byte
		header bool
	}{
		{"request-tolvan.xml", tolvan.request, true},
		{"answer-tolvan.xml", tolvan.answer, false},
		{"answer-felperson.xml", felperson.answer, false},
	} {
		t.Run(g.file, func(t *testing.T) {
			golden(t, g.file, g.got)
			env, err := soap.Parse(g.got)
			if err != nil {
				t.Fatalf("parsing: %v", err)
			}
			validate(t, soap.Bytes(env.Body))
			if g.header {
				if len(env.Headers) != 1 {
					t.Fatalf("request has %d header elements, want Anropsinformation", len(env.Headers))
				}
				xsdcheck.Validate(t, headerXSD, soap.Bytes(env.Headers[0]))
			}
		})
	}
}

// golden compares got with testdata/name, or rewrites the file with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (go test -update rewrites it)\n--- got ---\n%s\n--- want ---\n%s", name, got, want)
	}
}
