package fk

import (
	"testing"
	"time"

	"github.com/ssbtek/gateway/adapters/simkit"
	"github.com/ssbtek/gateway/bastjanst"
	"github.com/ssbtek/gateway/internal/adaptertest"
)

// Conformance injects every fault into Hamta, but into Testa only HTTP 500
// and malformed JSON; LEFI's ping must read the rest as carefully. The wrong
// shape (valid JSON, not the contract's: JSON's wrong namespace) Conformance
// does not know at all, so it is tried on both.
func TestFaultsUnreadable(t *testing.T) {
	tests := []struct {
		name  string
		setup func(*Simulator)
		hamta bool // also ask, not only ping
	}{
		{"truncated", func(s *Simulator) { s.Faults().Set(simkit.Fault{Kind: simkit.FaultTruncated}) }, false},
		{"oversized", func(s *Simulator) { s.Faults().Set(simkit.Fault{Kind: simkit.FaultOversized}) }, false},
		{"the wrong shape", func(s *Simulator) { s.SetWrongShape(true) }, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sim := NewSimulator().(*Simulator)
			tt.setup(sim)
			ad := adaptertest.Serve(t, Agency(), sim).Adapter(Agency())
			// Time enough to stream 16 MiB under the race detector.
			ctx := adaptertest.Deadline(t, 10*time.Second)
			if tt.hamta {
				res, err := ad.Hamta(ctx, adaptertest.Fraga(simkit.Tolvan), nil)
				if err == nil {
					t.Fatalf("got result %v, want an error", res)
				}
				if got := adaptertest.Felkod(err); got != bastjanst.FelkodOlasbart {
					t.Errorf("felkod %s (%v), want %s", got, err, bastjanst.FelkodOlasbart)
				}
			}
			if err := ad.Testa(ctx); adaptertest.Felkod(err) != bastjanst.FelkodOlasbart {
				t.Errorf("Testa: felkod %s (%v), want %s", adaptertest.Felkod(err), err, bastjanst.FelkodOlasbart)
			}
		})
	}
}
