// Package xsdcheck validates XML against schemas with xmllint, for tests. The
// real agency schemas live outside the repository in ../shared/contracts;
// tests that need them skip, saying so, where that folder is absent.
package xsdcheck

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
)

// Contracts returns the absolute path of the shared contracts folder
// (SSBTEK_CONTRACTS, else ../shared/contracts beside the repository), or skips
// the test with a message when it is absent — or fails it under CI=true.
func Contracts(t testing.TB) string {
	t.Helper()
	dir := os.Getenv("SSBTEK_CONTRACTS")
	if dir == "" {
		dir = filepath.Join(RepoRoot(), "..", "shared", "contracts")
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		t.Fatalf("contracts dir: %v", err)
	}
	if _, err := os.Stat(abs); err != nil {
		// In CI a missing folder must not turn every conformance test
		// into a silent pass.
		if os.Getenv("CI") == "true" {
			t.Fatalf("agency contracts not found at %s (set SSBTEK_CONTRACTS); CI=true requires them", abs)
		}
		t.Skipf("conformance check skipped: agency contracts not found at %s (set SSBTEK_CONTRACTS)", abs)
	}
	return abs
}

// Schema returns the path of a schema inside the contracts folder, failing the
// test when the folder is there but the file is not.
func Schema(t testing.TB, rel string) string {
	t.Helper()
	p := filepath.Join(Contracts(t), rel)
	if _, err := os.Stat(p); err != nil {
		t.Fatalf("schema %s: %v", rel, err)
	}
	return p
}

// RepoRoot is the repository's root directory.
func RepoRoot() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}

// Validate fails the test unless doc validates against the schema at path.
// xmllint must be installed (CI installs libxml2-utils): a missing validator
// fails rather than skips, so a conformance test can never pass vacuously.
func Validate(t testing.TB, schema string, doc []byte) {
	t.Helper()
	if err := Check(schema, doc); err != nil {
		t.Errorf("document does not validate against %s:\n%v\n--- document ---\n%s", filepath.Base(schema), err, doc)
	}
}

// Check validates doc against schema and returns xmllint's complaint, if any.
func Check(schema string, doc []byte) error {
	bin, err := exec.LookPath("xmllint")
	if err != nil {
		return &CheckError{Output: "xmllint not installed: apt-get install -y libxml2-utils"}
	}
	f, err := os.CreateTemp("", "xsdcheck-*.xml")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	if _, err := f.Write(doc); err != nil {
		f.Close()
		return err
	}
	f.Close()
	out, err := exec.Command(bin, "--noout", "--nonet", "--schema", schema, f.Name()).CombinedOutput()
	if err != nil {
		return &CheckError{Output: string(out)}
	}
	return nil
}

// CheckError is xmllint's report on an invalid document.
type CheckError struct{ Output string }

func (e *CheckError) Error() string { return e.Output }
