package fk

import (
	"testing"

	"github.com/ssbtek/gateway/internal/adaptertest"
)

// Every figure the simulator sends about a test person is in the typed
// content, over 2025 and 2026 (LEFI answers for at most two years), which
// hold everything it has. The personnummer is not typed.
func TestNoFigureLost(t *testing.T) {
	adaptertest.NoFigureLost(t, Agency(), adaptertest.FragaOver("2025-01-01", "2026-12-31"), adaptertest.PersonsWithData(),
		"personnummer",
		// LEFI's avdragsbelopp includes the tax: it is skatt_ore + avdrag_ore
		// (TestPaymentWithDeduction), not a field of its own.
		"utbetalningsuppgift/avdragsbelopp/summa", "preliminarautbetalningar/avdragsbelopp/summa")
}
