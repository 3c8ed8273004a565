package skv

import (
	"testing"

	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
	"github.com/ssbtek/gateway/internal/adaptertest"
)

// Every figure the simulator sends about a test person is in the typed
// content: every year, over a period holding every payment. The personnummer
// is not typed.
func TestNoFigureLost(t *testing.T) {
	every := func(pnr string) *ssbtekv1.Fraga {
		return withPeriod(fragaMedUrval(pnr, 2024, 2025, 2026), "2023-01-01", "2026-12-31")
	}
	adaptertest.NoFigureLost(t, Agency(), every, adaptertest.PersonsWithData(), "IdentitetsbeteckningFysiskPerson")
}
