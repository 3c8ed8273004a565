package miv

import (
	"testing"

	"github.com/ssbtek/gateway/internal/adaptertest"
)

// Every figure the simulator sends about a test person is in the typed
// content. The personnummer is not typed.
func TestNoFigureLost(t *testing.T) {
	adaptertest.NoFigureLost(t, Agency(), adaptertest.Fraga, adaptertest.PersonsWithData(), "personnummer")
}
