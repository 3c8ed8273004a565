package adaptertest

import (
	"testing"

	"github.com/ssbtek/gateway/adapters"
)

// The operator check is apart from Conformance: only the adapters whose
// ping carries an organisation (not TNS, not MIV) owe it.

// GivenOperator is the operator CheckOperator configures: a valid organisationsnummer other
// than adapters.DefaultOperator.
const GivenOperator = "165566778899"

// CheckOperator pings agency a's simulator with a's adapter twice, Config.Operator
// set to GivenOperator and left empty, and checks that sent, reading the ping as it
// crossed the wire, finds GivenOperator and adapters.DefaultOperator.
func CheckOperator(t *testing.T, a adapters.Agency, sent func(t *testing.T, ping Exchange) string) {
	t.Helper()
	for _, tt := range []struct{ operator, want string }{{GivenOperator, GivenOperator}, {"", adapters.DefaultOperator}} {
		srv := Serve(t, a, a.NewSimulator())
		cfg := srv.Config()
		cfg.Operator = tt.operator
		if err := a.New(cfg).Testa(t.Context()); err != nil {
			t.Fatalf("Testa with operator %q: %v", tt.operator, err)
		}
		if got := sent(t, srv.Last(t)); got != tt.want {
			t.Errorf("Testa with operator %q named %q, want %s", tt.operator, got, tt.want)
		}
	}
}
