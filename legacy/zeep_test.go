package legacy

import (
	"encoding/json"
	"os/exec"
	"testing"

	"github.com/ssbtek/gateway/fanout"
	"github.com/ssbtek/gateway/internal/testenv"
	"github.com/ssbtek/gateway/lookup"
)

// systemPython is Debian's python3, where python3-zeep installs; not
// whatever python3 comes first on PATH.
const systemPython = "/usr/bin/python3"

// zeepAnswer is what testdata/zeep_client.py reports.
type zeepAnswer struct {
	Korrelationsid string            `json:"korrelationsid"`
	Echo           any               `json:"echo"`
	Hamta          map[string]string `json:"hamta"`
	Testa          map[string]bool   `json:"testa"`
}

// runZeep has zeep import our WSDL from a live server over svc and call
// both operations.
func runZeep(t *testing.T, svc *lookup.Service) zeepAnswer {
	t.Helper()
	if out, err := exec.Command(systemPython, "-c", "import zeep").CombinedOutput(); err != nil {
		t.Fatalf("%s cannot import zeep (%v: %s): install the Debian package python3-zeep (CI installs it)", systemPython, err, out)
	}
	url := serve(t, svc, Config{})
	cmd := exec.Command(systemPython, "testdata/zeep_client.py", url+Path+"?wsdl")
	out, err := cmd.Output()
	if err != nil {
		stderr := ""
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = string(ee.Stderr)
		}
		t.Fatalf("zeep client failed: %v\n%s%s", err, out, stderr)
	}
	var a zeepAnswer
	if err := json.Unmarshal(out, &a); err != nil {
		t.Fatalf("zeep client output %q: %v", out, err)
	}
	return a
}

func checkZeep(t *testing.T, a zeepAnswer) {
	t.Helper()
	if a.Korrelationsid != "ZEEP-1" || a.Echo != "EKB-2025-0042" {
		t.Errorf("korrelationsid %q, echoed arendeidentitet %v", a.Korrelationsid, a.Echo)
	}
	for _, kod := range agencyCodes {
		if a.Hamta[kod] != "data" {
			t.Errorf("hamtaBastjanstInformation %s: %s", kod, a.Hamta[kod])
		}
		if !a.Testa[kod] {
			t.Errorf("testaBastjanstInformation %s: not called or failed", kod)
		}
	}
}

// TestZeepClient: a real, independent SOAP client imports our WSDL and
// calls both operations for 191212121212.
func TestZeepClient(t *testing.T) {
	t.Run("canned agencies", func(t *testing.T) {
		checkZeep(t, runZeep(t, newFakes(t).service(t)))
	})
	t.Run("simulated agencies", func(t *testing.T) {
		requireAllAgencies(t)
		checkZeep(t, runZeep(t, testenv.New(t, fanout.Config{}).Lookup))
	})
}
