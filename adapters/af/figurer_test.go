package af

import (
	"testing"

	"github.com/ssbtek/gateway/adapters/simkit"
	"github.com/ssbtek/gateway/internal/adaptertest"
)

// Every figure the simulator sends about a test person is in the typed
// content, over a period holding every decision it has. The persons AF does
// not know (Student, Pensionar) have no typed content: their one figure,
// StatusSokandeinformationKod 1, is the UPPGIFTSAKNAS status. The echoed
// question's identifiers are not typed.
func TestNoFigureLost(t *testing.T) {
	known := []string{simkit.Tolvan, simkit.Jobbsokare, simkit.Skyddad, simkit.Nyanland, simkit.Samordningsnummer}
	adaptertest.NoFigureLost(t, Agency(), adaptertest.FragaOver("2025-01-01", "2027-12-31"), known,
		"IdentitetsbeteckningFysiskPerson", "OrganisationsnummerForIngivare", "OrganisationsnummerForPersonuppgiftsbitrade")
}
