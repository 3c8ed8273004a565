package csn

import (
	"testing"

	"github.com/beevik/etree"

	"github.com/ssbtek/gateway/internal/adaptertest"
)

// questionFor is the SOAP body the adapter sends about pnr.
func questionFor(pnr string) *etree.Element {
	f := adaptertest.Fraga(pnr)
	return begaran(f, f.GetPeriod())
}

// ask posts a question to a fresh simulator in process and returns its answer.
func ask(t *testing.T, q *etree.Element) []byte {
	t.Helper()
	return adaptertest.AskSOAP(t, NewSimulator(), "/", q)
}
