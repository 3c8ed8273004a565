package testenv_test

import (
	"context"
	"testing"
	"time"

	"github.com/ssbtek/gateway/adapters/simkit"
	"github.com/ssbtek/gateway/bastjanst"
	"github.com/ssbtek/gateway/fanout"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
	"github.com/ssbtek/gateway/internal/testenv"
)

func tolvan() *ssbtekv1.Fraga {
	return &ssbtekv1.Fraga{
		Organisationsnummer: "162120002411", Ingivare: "Exempelkommun", Handlaggare: "h1",
		Personidentitet: simkit.Tolvan, Arendeidentitet: "A1", Syfte: "bistånd", Lagtext: "SoL",
		Period: &ssbtekv1.Tidsperiod{From: "2026-08-01", Tom: "2026-10-31"},
	}
}

// BenchmarkFanoutRealAdapters asks all seven real adapters against their
// in-process simulators and reports, from the same run, the gateway's time
// against the slowest agency's own time (overhead = gateway − slowest).
func BenchmarkFanoutRealAdapters(b *testing.B) {
	env := testenv.New(b, fanout.Config{})
	f := tolvan()
	ctx := context.Background()
	// Warm the connection pools so the first dial is not measured.
	if res := env.Core.Hamta(ctx, f, bastjanst.All()); len(res) != len(bastjanst.All()) {
		b.Fatalf("%d results, want %d", len(res), len(bastjanst.All()))
	}
	b.ReportAllocs()
	var total, slowest time.Duration
	for b.Loop() {
		start := time.Now()
		res := env.Core.Hamta(ctx, f, bastjanst.All())
		total += time.Since(start)
		var s time.Duration
		for _, r := range res {
			if r.GetFel() != nil {
				b.Fatalf("%s: %v", bastjanst.Kod(r.GetBastjanst()), r.GetFel())
			}
			s = max(s, r.GetLatens().AsDuration())
		}
		slowest += s
	}
	n := time.Duration(b.N)
	b.ReportMetric(float64((total-slowest)/n)/1e3, "overhead-µs/op")
	b.ReportMetric(float64(slowest/n)/1e3, "slowest-agency-µs/op")
	b.ReportMetric(float64(total)/float64(slowest), "gateway/slowest")
}
