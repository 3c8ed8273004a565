package legacy

import (
	"encoding/json"
	"os/exec"
	"testing"

	"github.com/ssbtek/gateway/fanout"
	"github.com/ssbtek/gateway/internal/testenv"
)

// TestZeepV11SkvParts: a real, independent SOAP client imports our v11 WSDL,
// asks Skatteverket for every part about Tolvan over the simulated agencies,
// and reads each part's data: its base64Binary decoded to Skatteverket's
// JSON, fields by name.
func TestZeepV11SkvParts(t *testing.T) {
	if out, err := exec.Command(systemPython, "-c", "import zeep").CombinedOutput(); err != nil {
		t.Fatalf("%s cannot import zeep (%v: %s): install the Debian package python3-zeep (CI installs it)", systemPython, err, out)
	}
	url := serve(t, testenv.New(t, fanout.Config{}).Lookup, Config{})
	out, err := exec.Command(systemPython, "testdata/zeep_v11_skv.py", url+Path+"?wsdl=11").Output()
	if err != nil {
		stderr := ""
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = string(ee.Stderr)
		}
		t.Fatalf("zeep client failed: %v\n%s%s", err, out, stderr)
	}
	var parts map[string]any
	if err := json.Unmarshal(out, &parts); err != nil {
		t.Fatalf("zeep client output %q: %v", out, err)
	}
	konto, _ := parts["skattekonto"].(map[string]any)
	if konto["kontohavare"] != "191212121212" || konto["utbetaltBelopp"] != 4180.0 || konto["bokforingsdag"] != "2026-09-11" {
		t.Errorf("zeep's skattekonto: %v", parts["skattekonto"])
	}
	foretag, _ := parts["foretagsinformation"].(map[string]any)
	if f, _ := foretag["foretag"].(map[string]any); f["godkandFskatt"] != true {
		t.Errorf("zeep's foretagsinformation: %v", parts["foretagsinformation"])
	}
	for _, d := range skvDelar {
		if _, ok := parts[d].(map[string]any); !ok {
			t.Errorf("zeep's %s: %v, want data", d, parts[d])
		}
	}
}
