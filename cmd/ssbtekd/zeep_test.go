package main

import (
	"encoding/json"
	"os/exec"
	"path/filepath"
	"testing"
)

// systemPython is Debian's python3, where python3-zeep installs.
const systemPython = "/usr/bin/python3"

// zeepResult is what testdata/zeep_mtls.py prints.
type zeepResult struct {
	Refused string            `json:"refused"`
	Hamta   map[string]string `json:"hamta"`
}

// runZeepMTLS has zeep import the WSDL from the gateway and ask with the
// development client certificate name ("-" for none), and with an iip
// header naming iip when given.
func runZeepMTLS(t *testing.T, g *gateway, name string, iip ...string) zeepResult {
	t.Helper()
	if out, err := exec.Command(systemPython, "-c", "import zeep, requests, lxml").CombinedOutput(); err != nil {
		t.Fatalf("%s cannot import zeep (%v: %s): install the Debian package python3-zeep (CI installs it)", systemPython, err, out)
	}
	pki := filepath.Join(g.dir, "pki")
	args := []string{"testdata/zeep_mtls.py", "https://" + g.httpAddr + "/ssbtek?wsdl", filepath.Join(pki, "ca.pem"), "-", "-"}
	if name != "-" {
		args[3], args[4] = filepath.Join(pki, name+".pem"), filepath.Join(pki, name+"-key.pem")
	}
	out, err := exec.Command(systemPython, append(args, iip...)...).Output()
	if err != nil {
		var stderr []byte
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = ee.Stderr
		}
		t.Fatalf("zeep client failed: %v\n%s%s", err, out, stderr)
	}
	var r zeepResult
	if err := json.Unmarshal(out, &r); err != nil {
		t.Fatalf("zeep client printed %s: %v", out, err)
	}
	return r
}

// TestZeepOverMutualTLS: an independent SOAP stack imports the WSDL and asks
// with the municipality's certificate, and with its ombud's certificate and
// the iip header; without a certificate it gets neither WSDL nor answer, and
// an iip Address naming another municipality is fault 1002.
func TestZeepOverMutualTLS(t *testing.T) {
	g := devGateway(t)
	for _, tt := range []struct {
		cert string
		iip  []string
	}{{"kommun", nil}, {"ombud", []string{"2120002411"}}} {
		r := runZeepMTLS(t, g, tt.cert, tt.iip...)
		if r.Refused != "" || len(r.Hamta) != 7 {
			t.Errorf("%s: %+v, want all seven answered", tt.cert, r)
		}
		for kod, outcome := range r.Hamta {
			if outcome != "data" {
				t.Errorf("%s: %s %s", tt.cert, kod, outcome)
			}
		}
	}
	if r := runZeepMTLS(t, g, "-"); r.Refused == "" {
		t.Errorf("without a certificate: %+v, want refused", r)
	}
	if r := runZeepMTLS(t, g, "ombud", "2120001420"); r.Refused != "fault 1002" {
		t.Errorf("iip Address of another municipality: %+v, want fault 1002", r)
	}
}
