package main

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// TestMain lets a test run this command's real main in a child process (the
// test binary re-executed), so exit codes are tested as a user sees them.
func TestMain(m *testing.M) {
	if os.Getenv("RUN_MAIN_FOR_TEST") == "1" {
		os.Args = append([]string{os.Args[0]}, strings.Fields(os.Getenv("RUN_MAIN_ARGS"))...)
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// runMain runs main with args in a child process and returns its combined
// output and exit code.
func runMain(t *testing.T, args ...string) (string, int) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "RUN_MAIN_FOR_TEST=1", "RUN_MAIN_ARGS="+strings.Join(args, " "))
	out, err := cmd.CombinedOutput()
	if ee, ok := err.(*exec.ExitError); ok {
		return string(out), ee.ExitCode()
	} else if err != nil {
		t.Fatalf("running main: %v", err)
	}
	return string(out), 0
}

func TestHelpPrintsUsageAndExitsZero(t *testing.T) {
	for _, arg := range []string{"-help", "-h", "--help"} {
		out, code := runMain(t, arg)
		if code != 0 {
			t.Errorf("%s: exit %d, want 0; output:\n%s", arg, code, out)
		}
		if !strings.Contains(out, "Usage of bastjanstsim") || !strings.Contains(out, "-addr") {
			t.Errorf("%s: output lacks the usage:\n%s", arg, out)
		}
	}
	if out, code := runMain(t, "-no-such-flag"); code != 1 || !strings.Contains(out, "no-such-flag") {
		t.Errorf("unknown flag: exit %d, output %q; want exit 1 naming the flag", code, out)
	}
}
