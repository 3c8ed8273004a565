package so

import (
	"testing"

	"go.uber.org/goleak"

	"github.com/ssbtek/gateway/adapters/soap"
	"github.com/ssbtek/gateway/internal/adaptertest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// int014XSD is the a-kassor's real schema, relative to the contracts folder.
// It is stored in UTF-16, which xmllint reads as it is.
const int014XSD = "v10/schemas/ubpservice/int014/UnemploymentBenefitPaymentService.xsd"

// bodyOf returns the SOAP Body's child of an envelope as a standalone UTF-8
// document. BizTalk may write the envelope in UTF-16, which
// adaptertest.Envelope cannot read, so it is decoded as the adapter does first.
func bodyOf(t *testing.T, envelope []byte) []byte {
	t.Helper()
	utf8, err := soap.UTF8(envelope, "")
	if err != nil {
		t.Fatalf("decoding envelope: %v", err)
	}
	return soap.Bytes(adaptertest.Envelope(t, utf8).Body)
}
