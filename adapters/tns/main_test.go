package tns

import (
	"testing"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// responderXSD is TS's real schema, relative to the contracts folder.
const responderXSD = "v10/se/transportstyrelsen/schema/ssbtek/hamtauppgifterresponder/_1/HamtaUppgifterResponder_1.0.xsd"

// Our own schemas for the parts the contract lacks, relative to this package
// (adaptertest.Validate knows only the contracts folder).
const (
	headerXSD = "testdata/Anropsinformation_1.xsd"
	pingXSD   = "testdata/Ping_1.xsd"
)
