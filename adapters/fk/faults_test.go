package fk

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/ssbtek/gateway/adapters/simkit"
	"github.com/ssbtek/gateway/bastjanst"
)

func TestHamtaFaults(t *testing.T) {
	tests := []struct {
		name   string
		setup  func(*Simulator)
		felkod string
	}{
		{"http500 is unavailable", func(s *Simulator) { s.Faults().Set(simkit.Fault{Kind: simkit.FaultHTTP500}) }, bastjanst.FelkodOtillganglig},
		{"malformed is unreadable", func(s *Simulator) { s.Faults().Set(simkit.Fault{Kind: simkit.FaultMalformed}) }, bastjanst.FelkodOlasbart},
		{"truncated is unreadable", func(s *Simulator) { s.Faults().Set(simkit.Fault{Kind: simkit.FaultTruncated}) }, bastjanst.FelkodOlasbart},
		{"oversized is unreadable", func(s *Simulator) { s.Faults().Set(simkit.Fault{Kind: simkit.FaultOversized}) }, bastjanst.FelkodOlasbart},
		{"the wrong shape is unreadable", func(s *Simulator) { s.SetWrongShape(true) }, bastjanst.FelkodOlasbart},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			tt.setup(e.sim)
			res, err := e.adapter.Hamta(context.Background(), fragaOm(simkit.Tolvan), nil)
			if err == nil {
				t.Fatalf("got result %v, want an error", res)
			}
			if got := bastjanst.FelFor(err).GetFelkod(); got != tt.felkod {
				t.Errorf("felkod %s (%v), want %s", got, err, tt.felkod)
			}
			// The fault also fails the ping the same way.
			if got := bastjanst.FelFor(e.adapter.Testa(context.Background())).GetFelkod(); got != tt.felkod {
				t.Errorf("Testa felkod %s, want %s", got, tt.felkod)
			}
		})
	}
}

func TestHamtaHangEndsAtTheDeadline(t *testing.T) {
	e := newEnv(t)
	e.sim.Faults().Set(simkit.Fault{Kind: simkit.FaultHang})
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	_, err := e.adapter.Hamta(ctx, fragaOm(simkit.Tolvan), nil)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want context deadline", err)
	}
	if got := bastjanst.FelFor(err).GetFelkod(); got != bastjanst.FelkodTimeout {
		t.Errorf("felkod %s, want %s", got, bastjanst.FelkodTimeout)
	}
}

func TestHamtaUnreachable(t *testing.T) {
	e := newEnvWith(t, http.NotFoundHandler())
	_, err := e.adapter.Hamta(context.Background(), fragaOm(simkit.Tolvan), nil)
	if got := bastjanst.FelFor(err).GetFelkod(); got != bastjanst.FelkodOtillganglig {
		t.Errorf("plain 404: felkod %s (%v), want %s", got, err, bastjanst.FelkodOtillganglig)
	}
}
