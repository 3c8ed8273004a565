package af

import (
	"testing"

	"github.com/ssbtek/gateway/internal/adaptertest"
)

// TestConformance holds the adapter to what every agency owes the gateway.
func TestConformance(t *testing.T) { adaptertest.Conformance(t, Agency()) }
