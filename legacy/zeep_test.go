package legacy

import (
	"encoding/json"
	"os/exec"
	"slices"
	"strconv"
	"strings"
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
	Typed          struct {
		FK  []string `json:"FK"`
		CSN string   `json:"CSN"`
		AF  struct {
			Kod       *int
			Identitet string
		} `json:"AF"`
		SO struct {
			Kassa, Status, From, Identitet string
			Utbetalningar                  [][2]string
		} `json:"SO"`
	} `json:"typed"`
}

// runZeep has zeep import our WSDL from a live server over svc and call
// both operations.
func runZeep(t *testing.T, svc *lookup.Service) zeepAnswer {
	t.Helper()
	return runZeepVersion(t, svc, versionByName(defaultVersion))
}

// runZeepVersion has zeep import version v's WSDL and call both operations
// as a client of that version (its agencies; before v10 FK asked by
// formansforteckning).
func runZeepVersion(t *testing.T, svc *lookup.Service, v *version) zeepAnswer {
	t.Helper()
	if out, err := exec.Command(systemPython, "-c", "import zeep").CombinedOutput(); err != nil {
		t.Fatalf("%s cannot import zeep (%v: %s): install the Debian package python3-zeep (CI installs it)", systemPython, err, out)
	}
	url := serve(t, svc, Config{})
	args := []string{"testdata/zeep_client.py", url + Path + "?wsdl=" + v.name, strings.Join(agenciesOf(v), ",")}
	if v.n < firstLefiJSON {
		args = append(args, "formansforteckning")
	}
	cmd := exec.Command(systemPython, args...)
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
	checkZeepVersion(t, a, versionByName(defaultVersion))
}

func checkZeepVersion(t *testing.T, a zeepAnswer, v *version) {
	t.Helper()
	if a.Korrelationsid != "ZEEP-1" || a.Echo != "EKB-2025-0042" {
		t.Errorf("korrelationsid %q, echoed arendeidentitet %v", a.Korrelationsid, a.Echo)
	}
	for _, kod := range agenciesOf(v) {
		if a.Hamta[kod] != "data" {
			t.Errorf("hamtaBastjanstInformation %s: %s", kod, a.Hamta[kod])
		}
		if !a.Testa[kod] {
			t.Errorf("testaBastjanstInformation %s: not called or failed", kod)
		}
	}
	if len(a.Hamta) != len(agenciesOf(v)) || len(a.Testa) != len(agenciesOf(v)) {
		t.Errorf("v%s: zeep saw %d and %d agencies, the contract has %d", v.name, len(a.Hamta), len(a.Testa), len(agenciesOf(v)))
	}
	// Typed fields, read by name from zeep's objects: FK's LEFI JSON and
	// CSN's CSNSvar as the contract's base64Binary, SO's answer through
	// the types of our schema of it.
	if !slices.Contains(a.Typed.FK, "utlamnare") {
		t.Errorf("FK lefiJsonSvar read by zeep: keys %v", a.Typed.FK)
	}
	if !strings.Contains(a.Typed.CSN, "CSNSvar") {
		t.Errorf("CSN svar read by zeep: %q", a.Typed.CSN)
	}
	if so := a.Typed.SO; so.Kassa == "" || so.Status == "" || so.From != "2024-12-01" || so.Identitet != "191212121212" {
		t.Errorf("SO's typed answer read by zeep: %+v", so)
	}
	if af := a.Typed.AF; af.Kod == nil || *af.Kod > 99 || af.Identitet != "191212121212" {
		t.Errorf("AF's typed answer read by zeep: kod %v identitet %q", af.Kod, af.Identitet)
	}
	for _, u := range a.Typed.SO.Utbetalningar {
		if _, err := strconv.ParseFloat(u[1], 64); err != nil || len(u[0]) != len("2006-01-02") {
			t.Errorf("SO payment read by zeep: %v", u)
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

// TestZeepClientVersions: zeep as a client of a few older versions (v1 in
// the seed's namespace, v6 with Transportstyrelsen, v8 with
// Migrationsverket), each importing that version's own WSDL.
func TestZeepClientVersions(t *testing.T) {
	svc := testenv.New(t, fanout.Config{}).Lookup
	for _, name := range []string{"SSBTEK1", "6", "8"} {
		t.Run("v"+name, func(t *testing.T) {
			v := versionByName(name)
			checkZeepVersion(t, runZeepVersion(t, svc, v), v)
		})
	}
}
