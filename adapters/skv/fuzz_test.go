package skv

import (
	"encoding/json"
	"testing"

	"github.com/ssbtek/gateway/adapters/simkit"
	"github.com/ssbtek/gateway/adapters/soap"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
	"github.com/ssbtek/gateway/internal/adaptertest"
)

// FuzzMapping: no answer makes the mapping panic; it is read or unreadable
// (seed corpus: testdata/fuzz/FuzzMapping, the golden answers).
func FuzzMapping(f *testing.F) {
	adaptertest.FuzzSOAPMapping(f, Agency(), func(env *soap.Envelope) (*ssbtekv1.BastjanstResultat, error) {
		return readResponse(env, simkit.Tolvan)
	})
}

// FuzzDelar: no part's JSON makes its typing panic; it is read or an error.
// Seeds: the simulator's answers about Tolvan, one per part.
func FuzzDelar(f *testing.F) {
	q := delFraga{Personnummer: simkit.Tolvan}
	for i, del := range delar {
		raw, err := json.Marshal(delData(q, del))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(uint8(i), raw)
	}
	f.Fuzz(func(t *testing.T, i uint8, raw []byte) {
		b := &ssbtekv1.Beskattning{}
		// Whatever the bytes, a reading names nobody but the person asked.
		if err := typeDel(b, delar[int(i)%len(delar)], raw, simkit.Tolvan); err == nil {
			for _, id := range []string{b.GetSkattekonto().GetKontohavare()} {
				if id != "" && id != simkit.Tolvan && id != simkit.Tolvan[2:] {
					t.Errorf("read an answer about %q", id)
				}
			}
		}
	})
}
