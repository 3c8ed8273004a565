package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
)

// newFlags returns the flag set of one gateway command. It prints nothing
// itself: parse decides where help and errors go.
func newFlags(name, synopsis string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {
		w := fs.Output()
		fmt.Fprintf(w, "Usage: ssbtek %s %s\n\nFlags:\n", name, synopsis)
		fs.PrintDefaults()
	}
	return fs
}

// parse parses args. --help prints the usage to stdout and returns
// flag.ErrHelp (exit 0); a bad flag or argument prints the error and the
// usage to stderr and returns a flag error (exit 2).
func parse(fs *flag.FlagSet, args []string, stdout, stderr io.Writer) error {
	err := fs.Parse(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		fs.SetOutput(stdout)
		fs.Usage()
		return flag.ErrHelp
	case err == nil && fs.NArg() > 0:
		err = fmt.Errorf("unexpected argument %q", fs.Arg(0))
	case err == nil:
		return nil
	}
	fmt.Fprintf(stderr, "ssbtek %s: %v\n", fs.Name(), err)
	fs.SetOutput(stderr)
	fs.Usage()
	return &exitErr{code: exitUsage, err: fmt.Errorf("%w: %v", errFlags, err)}
}
