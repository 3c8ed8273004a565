package miv

import (
	"testing"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// schemaPath is MIV's real schema inside the shared contracts folder.
const schemaPath = "v10/se/migrationsverket/schema/ssbtek/_1/SSBTEKWebService_schema1.xsd"

// wrongNamespaceSimulator answers in a namespace other than MIV's.
func wrongNamespaceSimulator() *Simulator {
	sim := NewSimulator().(*Simulator)
	sim.SetWrongNamespace(true)
	return sim
}
