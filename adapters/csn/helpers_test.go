package csn

import (
	"net/http"
	"testing"

	"github.com/beevik/etree"

	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
	"github.com/ssbtek/gateway/internal/adaptertest"
)

// fraga is the standard question (adaptertest.Fraga) about pnr, with a valid
// organisationsnummer for the second personuppgiftsbiträde. The standard
// question's 559900112233 breaks SSBTEK's pattern [0-9]{4}[2-9][0-9]{7},
// which the gateway checks and our Sambruk stand-in schema enforces, and CSN,
// unlike AF, is sent every biträde; the golden files must validate.
func fraga(pnr string) *ssbtekv1.Fraga {
	f := adaptertest.Fraga(pnr)
	f.Personuppgiftsbitrade[0].Organisationsnummer = "165599001122"
	return f
}

// questionFor is the SOAP body the adapter sends about pnr.
func questionFor(pnr string) *etree.Element {
	f := fraga(pnr)
	return begaran(f, f.GetPeriod())
}

// ask posts a question to a fresh simulator in process and returns its answer.
func ask(t *testing.T, q *etree.Element) []byte {
	t.Helper()
	status, raw := adaptertest.PostSOAP(t, NewSimulator(), "/", q)
	if status != http.StatusOK {
		t.Fatalf("simulator answered HTTP %d: %s", status, raw)
	}
	return raw
}
