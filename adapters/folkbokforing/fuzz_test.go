package folkbokforing

import (
	"testing"

	"github.com/ssbtek/gateway/adapters/simkit"
	"github.com/ssbtek/gateway/adapters/soap"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
	"github.com/ssbtek/gateway/internal/adaptertest"
)

// FuzzMapping: no answer makes the mapping panic; it is read or unreadable
// (seed corpus: testdata/fuzz/FuzzMapping, the simulator's answers).
func FuzzMapping(f *testing.F) {
	q := adaptertest.Fraga(simkit.Tolvan)
	adaptertest.FuzzSOAPMapping(f, Agency(), func(env *soap.Envelope) (*ssbtekv1.BastjanstResultat, error) {
		return readResponse(env, q)
	})
}
