package skv

import (
	"testing"

	"github.com/ssbtek/gateway/adapters/simkit"
	"github.com/ssbtek/gateway/internal/adaptertest"
)

// BenchmarkHamta: one question about Tolvan over loopback to the simulator,
// all five parts over the JSON interface against Beskattningsuppgifter's one
// SOAP call; what asking in parts costs the gateway beside the agency's time.
func BenchmarkHamta(b *testing.B) {
	for _, bb := range []struct {
		name string
		soap bool
	}{{"delar", false}, {"beskattningsuppgifter", true}} {
		b.Run(bb.name, func(b *testing.B) {
			ad := adaptertest.Serve(b, Agency(), NewSimulator()).Adapter(Agency())
			f := hosten(simkit.Tolvan)
			if bb.soap {
				f = withPeriod(soapFraga(simkit.Tolvan), "2026-08-01", "2026-10-31")
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := ad.Hamta(b.Context(), f, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
