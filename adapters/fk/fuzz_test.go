package fk

import (
	"testing"

	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
	"github.com/ssbtek/gateway/internal/adaptertest"
)

// FuzzMapping: no LEFI answer makes the mapping panic; it is read or
// unreadable (seed corpus: testdata/fuzz/FuzzMapping, the golden answers).
func FuzzMapping(f *testing.F) {
	adaptertest.FuzzMapping(f, Agency(), func(raw []byte) (*ssbtekv1.BastjanstResultat, error) {
		return mapSvar(raw, mediaTypeJSON)
	})
}
