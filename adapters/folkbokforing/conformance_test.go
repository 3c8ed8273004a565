package folkbokforing

import (
	"testing"

	"github.com/ssbtek/gateway/internal/adaptertest"
)

// TestConformance holds the adapter to what every agency owes the gateway.
func TestConformance(t *testing.T) { adaptertest.Conformance(t, Agency()) }

// Every figure the simulator sends about a test person (the postnummer) is
// in the typed content.
func TestNoFigureLost(t *testing.T) {
	adaptertest.NoFigureLost(t, Agency(), adaptertest.Fraga, adaptertest.PersonsWithData())
}
