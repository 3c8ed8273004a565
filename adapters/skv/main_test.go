package skv

import (
	"os/exec"
	"strings"
	"testing"

	"go.uber.org/goleak"

	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
	"github.com/ssbtek/gateway/internal/adaptertest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// schemaPath is SKV's real schema inside the shared contracts folder.
const schemaPath = "v10/se/rsv/zg/bs/service/ws/beskattningws/ZgBsBeskattningWSService_schema.xsd"

// fragaMedUrval is the standard question to Beskattningsuppgifter with what
// only SKV reads of it: an ombud and SSBTEK v11's SKV block asking for the
// taxeringsår ar.
func fragaMedUrval(pnr string, ar ...int32) *ssbtekv1.Fraga {
	f := adaptertest.Fraga(pnr)
	f.Ombud = "556677889900"
	f.Skv = &ssbtekv1.SkvParametrar{Ar: ar, Individuppgifter: true, Skatteuppgifter: true, Beskattningsuppgifter: true}
	return f
}

// soapFraga is the standard question, to Beskattningsuppgifter as SSBTEK
// v1-v10 ask it.
func soapFraga(pnr string) *ssbtekv1.Fraga {
	f := adaptertest.Fraga(pnr)
	f.Skv = &ssbtekv1.SkvParametrar{Beskattningsuppgifter: true}
	return f
}

// wellFormed checks an inner document with xmllint, a parser other than the
// one the adapter uses, and with the adapter's own strict reading. The SOAP
// schema sees the inner documents only as strings, so this is their check.
func wellFormed(t *testing.T, doc, root string) {
	t.Helper()
	bin, err := exec.LookPath("xmllint")
	if err != nil {
		t.Fatal("xmllint not installed: apt-get install -y libxml2-utils")
	}
	cmd := exec.Command(bin, "--noout", "--nonet", "-")
	cmd.Stdin = strings.NewReader(doc)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("inner document is not well formed: %v\n%s\n--- document ---\n%s", err, out, doc)
	}
	if _, err := readInner(doc, root); err != nil {
		t.Errorf("readInner: %v", err)
	}
}

// wrongNamespaceSimulator answers in a namespace other than SKV's.
func wrongNamespaceSimulator() *Simulator {
	sim := NewSimulator().(*Simulator)
	sim.SetWrongNamespace(true)
	return sim
}
