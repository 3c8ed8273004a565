package csn

import (
	"testing"

	"github.com/ssbtek/gateway/internal/adaptertest"
)

// Every figure the simulator sends about a test person is in the typed
// content, over a period holding everything it has. The identifiers of the
// echoed question and the person are not typed, nor is schemaVersion, the
// contract's version.
func TestNoFigureLost(t *testing.T) {
	adaptertest.NoFigureLost(t, Agency(), adaptertest.FragaOver("2025-01-01", "2027-12-31"), adaptertest.PersonsWithData(),
		"Organisationsnummer", "Ordningsnummer", "Personidentitet", "personnummer", "sekel", "schemaVersion")
}
