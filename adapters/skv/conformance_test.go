package skv

import (
	"testing"

	"github.com/ssbtek/gateway/internal/adaptertest"
)

// TestConformance holds the adapter to what every agency owes the gateway:
// as the modern API asks, over the parts of the JSON interface, and as
// SSBTEK v1-v10 ask, over Beskattningsuppgifter.
func TestConformance(t *testing.T) {
	adaptertest.Conformance(t, Agency())
	t.Run("Beskattningsuppgifter", func(t *testing.T) {
		a := Agency()
		a.New = newSOAP
		adaptertest.Conformance(t, a)
	})
}
