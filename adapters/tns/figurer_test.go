package tns

import (
	"testing"

	"github.com/ssbtek/gateway/internal/adaptertest"
)

// Every figure the simulator sends about a test person is in the typed content.
func TestNoFigureLost(t *testing.T) {
	adaptertest.NoFigureLost(t, Agency(), adaptertest.Fraga, adaptertest.PersonsWithData())
}
