package tns

import (
	"testing"

	"github.com/ssbtek/gateway/adapters/simkit"
	"github.com/ssbtek/gateway/adapters/soap"
	"github.com/ssbtek/gateway/internal/adaptertest"
	"github.com/ssbtek/gateway/internal/xsdcheck"
)

// TestGolden pins what crosses the wire: the request the adapter sends for
// Tolvan and the simulator's answers for Tolvan and Felperson. Each must also
// meet TS's schema (the body) and ours (the header).
func TestGolden(t *testing.T) {
	srv := adaptertest.Serve(t, Agency(), NewSimulator())
	a := srv.Adapter(Agency())

	f := adaptertest.Fraga(simkit.Tolvan)
	if _, err := a.Hamta(t.Context(), f, f.GetPeriod()); err != nil {
		t.Fatalf("Hamta Tolvan: %v", err)
	}
	tolvan := srv.Last(t)
	f = adaptertest.Fraga(simkit.Felperson)
	if _, err := a.Hamta(t.Context(), f, f.GetPeriod()); err != nil {
		t.Fatalf("Hamta Felperson: %v", err)
	}
	felperson := srv.Last(t)

	for _, g := range []struct {
		file   string
		got    []byte
		header bool
	}{
		{"request-tolvan.xml", tolvan.Request, true},
		{"answer-tolvan.xml", tolvan.Answer, false},
		{"answer-felperson.xml", felperson.Answer, false},
	} {
		t.Run(g.file, func(t *testing.T) {
			adaptertest.Golden(t, g.file, g.got)
			env := adaptertest.Envelope(t, g.got)
			adaptertest.Validate(t, responderXSD, "body", soap.Bytes(env.Body))
			if g.header {
				if len(env.Headers) != 1 {
					t.Fatalf("request has %d header elements, want Anropsinformation", len(env.Headers))
				}
				xsdcheck.Validate(t, headerXSD, soap.Bytes(env.Headers[0]))
			}
		})
	}
}
