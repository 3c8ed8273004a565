// Command ssbtek is the gateway's command-line client. Each subcommand is
// its own file; this one only dispatches.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"
)

// Exit codes, shared by every subcommand.
const (
	exitFailed = 1 // the command ran and found something wrong (e.g. a tampered log)
	exitUsage  = 2 // the command line was wrong
	exitError  = 3 // the command could not do its work (database, key file, network)
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	os.Exit(exitCode(err, os.Stderr))
}

// exitErr carries an exit code up to main.
type exitErr struct {
	code int
	err  error
}

func (e *exitErr) Error() string { return e.err.Error() }
func (e *exitErr) Unwrap() error { return e.err }

func usageError(format string, args ...any) error {
	return &exitErr{code: exitUsage, err: fmt.Errorf(format, args...)}
}

func failed(err error) error { return &exitErr{code: exitFailed, err: err} }

// exitCode reports err on stderr and picks the process's exit code: 0 for
// none or a --help, exitUsage for flag errors (flag has already printed
// them), else the code the error carries, exitError when it carries none.
func exitCode(err error, stderr io.Writer) int {
	if err == nil || errors.Is(err, flag.ErrHelp) {
		return 0
	}
	var e *exitErr
	if errors.As(err, &e) && e.code == exitUsage && errors.Is(err, errFlags) {
		return exitUsage
	}
	fmt.Fprintf(stderr, "ssbtek: %v\n", err)
	if errors.As(err, &e) {
		return e.code
	}
	return exitError
}

// errFlags marks a flag error the flag package has already printed.
var errFlags = errors.New("bad flags")

// parseFlags parses args into fs, turning flag's errors into usage errors.
func parseFlags(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return &exitErr{code: exitUsage, err: fmt.Errorf("%w: %v", errFlags, err)}
	}
	if fs.NArg() > 0 {
		return usageError("%s: unexpected argument %q (see --help)", fs.Name(), fs.Arg(0))
	}
	return nil
}

const usage = `ssbtek is the command-line client of ssbtek-gateway.

Usage:
  ssbtek [flags] <command> [subcommand] [flags]

Commands:
  query    ask the agencies about one person: a table per agency and the monthly income summary
  stream   ask as query does, printing each agency's result the moment it arrives
  ping     ping every agency's test service through the gateway
  profil   print a profile file from the flags given (--org, --ingivare, --handlaggare, --syfte, --lagtext)
  audit    verify the audit log, or extract a person's log of lookups

Run "ssbtek <command> --help" for a command's flags; they may come before
the command too (ssbtek --addr HOST:PORT ping).

query and stream need the organisation (--org), the ingivare, the case
worker (--handlaggare), the case (--arende), the purpose (--syfte) and the
law (--lagtext): as flags, in the environment (SSBTEK_ORG, ...), or in a
profile file (--profil, SSBTEK_PROFIL). Nothing is made up for them.

Exit codes: 0 done, 1 the command found a problem (an agency gave no answer,
a tampered log, an agency not reachable), 2 bad command line, 3 the command
could not run (gateway unreachable or refusing, certificate files, database,
key file).
`

// command is one command or subcommand, with run's signature.
type command func(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error

// run is the whole CLI: dispatch on the first argument.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	return dispatch(ctx, args, getenv, stdout, stderr, usage, "", "command", map[string]command{
		"query":  runQuery,
		"stream": runStream,
		"ping":   runPing,
		"profil": runProfil,
		"audit":  runAudit,
	})
}

// commandFirst moves flags given before the command name to after it
// (`ssbtek --addr X ping` is `ssbtek ping --addr X`): the command is the
// first argument that names one. Help stays where it is.
func commandFirst(args []string, cmds map[string]command) []string {
	if len(args) == 0 || !strings.HasPrefix(args[0], "-") {
		return args
	}
	switch args[0] {
	case "-h", "-help", "--help":
		return args
	}
	for i, a := range args {
		if _, ok := cmds[a]; ok {
			return slices.Concat(args[i:], args[:i])
		}
	}
	return args
}

// dispatch runs the command args[0] names among cmds, as ssbtek and ssbtek
// audit both do: help goes to stdout; a missing or unknown name prints
// usageText to stderr and is a usage error, its message led by prefix.
func dispatch(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer,
	usageText, prefix, noun string, cmds map[string]command) error {
	args = commandFirst(args, cmds)
	if len(args) == 0 {
		fmt.Fprint(stderr, usageText)
		return usageError("%sno %s given", prefix, noun)
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		fmt.Fprint(stdout, usageText)
		return nil
	}
	if cmd, ok := cmds[args[0]]; ok {
		return cmd(ctx, args[1:], getenv, stdout, stderr)
	}
	fmt.Fprint(stderr, usageText)
	return usageError("%sunknown %s %q", prefix, noun, args[0])
}
