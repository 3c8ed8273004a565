package so

import (
	"testing"

	"github.com/ssbtek/gateway/internal/adaptertest"
)

// Every figure the simulator sends about a test person is in the typed
// content, over a period holding every payment it has. The echoed
// question's identifiers are not typed.
func TestNoFigureLost(t *testing.T) {
	adaptertest.NoFigureLost(t, Agency(), adaptertest.FragaOver("2025-01-01", "2026-12-31"), adaptertest.PersonsWithData(),
		"IdentificationNumber", "OrganisationsnummerIngivare", "OrganisationsnummerPersonuppgiftsbitrade")
}
