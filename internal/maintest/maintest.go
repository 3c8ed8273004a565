// Package maintest runs a command's real main in a child process (the test
// binary re-executed), so that tests see exit codes and output as a user of
// the command does.
package maintest

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

const (
	runEnv  = "MAINTEST_RUN_MAIN"
	argsEnv = "MAINTEST_ARGS"
)

// Run is a command test package's TestMain: in the child process it runs
// main with the arguments Main passed and exits 0 when main returns; else
// it runs the tests.
func Run(m *testing.M, main func()) {
	if os.Getenv(runEnv) == "1" {
		os.Args = append([]string{os.Args[0]}, strings.Fields(os.Getenv(argsEnv))...)
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// Main runs the command's main with args (no spaces inside one) in a child
// process and returns its combined output and exit code.
func Main(t testing.TB, args ...string) (string, int) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), runEnv+"=1", argsEnv+"="+strings.Join(args, " "))
	out, err := cmd.CombinedOutput()
	if ee, ok := err.(*exec.ExitError); ok {
		return string(out), ee.ExitCode()
	} else if err != nil {
		t.Fatalf("running main: %v", err)
	}
	return string(out), 0
}

// CheckHelp asserts that -help, -h and --help print the usage of the
// command name, naming flag, and exit 0, and that an unknown flag exits 1
// naming it.
func CheckHelp(t *testing.T, name, flag string) {
	t.Helper()
	for _, arg := range []string{"-help", "-h", "--help"} {
		out, code := Main(t, arg)
		if code != 0 {
			t.Errorf("%s: exit %d, want 0; output:\n%s", arg, code, out)
		}
		if !strings.Contains(out, "Usage of "+name) || !strings.Contains(out, "-"+flag) {
			t.Errorf("%s: output lacks the usage:\n%s", arg, out)
		}
	}
	if out, code := Main(t, "-no-such-flag"); code != 1 || !strings.Contains(out, "no-such-flag") {
		t.Errorf("unknown flag: exit %d, output %q; want exit 1 naming the flag", code, out)
	}
}
