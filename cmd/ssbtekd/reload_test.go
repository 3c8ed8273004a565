package main

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestRightsReloadOnSIGHUP: an organisation added to the rights file may ask
// once ssbtekd gets SIGHUP, without a restart.
func TestRightsReloadOnSIGHUP(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "rights.yaml")
	write := func(orgs string) {
		if err := os.WriteFile(file, []byte("organisationer:\n"+orgs), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	kommun := `  - {organisationsnummer: "162120002411", bastjanster: [AF, CSN, FK, SKV, SO, TNS, MIV]}` + "\n"
	write(kommun)
	g := startGateway(t, []string{"-simulate", "-dev-certs", filepath.Join(dir, "data"), "-rights", file, "-rights-reload", "0"}, nil)
	c := g.client(t, "utan-tns")
	ask := func() int {
		code, _ := do(t, c, http.MethodPost, "https://"+g.httpAddr+"/v1/sammanstallning", "application/json", strings.Replace(tolvanJSON, devKommun, devUtanTNS, 1))
		return code
	}
	if code := ask(); code != http.StatusForbidden {
		t.Fatalf("before: %d, want 403", code)
	}
	write(kommun + `  - {organisationsnummer: "162120001420", bastjanster: [AF, CSN, FK, SKV, SO, MIV]}` + "\n")
	if err := syscall.Kill(os.Getpid(), syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(5 * time.Second); ask() != http.StatusOK; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("still refused after SIGHUP:\n%s", g.stderr.String())
		}
	}
	if !strings.Contains(g.stderr.String(), "rights file reloaded") {
		t.Error("the reload was not logged")
	}
}
