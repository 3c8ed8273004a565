// Command bastjanstsim serves every agency's simulator on one port, each under
// /<name>/ (af, csn, fk, skv, so, tns, miv), for running the gateway against
// them from outside or for chaos runs (X-Simulator-Fault header).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"syscall"

	"github.com/ssbtek/gateway/adapters/registry"
	"github.com/ssbtek/gateway/bastjanst"
	"github.com/ssbtek/gateway/server"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr); err != nil {
		// -help is a request, not a failure: flag has printed the usage.
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(0)
		}
		fmt.Fprintf(os.Stderr, "bastjanstsim: %v\n", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("bastjanstsim", flag.ContinueOnError)
	fs.SetOutput(stderr)
	def := getenv("BASTJANSTSIM_ADDR")
	if def == "" {
		def = "127.0.0.1:8090"
	}
	addr := fs.String("addr", def, "listen address (env BASTJANSTSIM_ADDR)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listening: %w", err)
	}
	agencies := registry.Agencies()
	sims := registry.NewSimulators(agencies)
	base := "http://" + ln.Addr().String()
	fmt.Fprintf(stdout, "agency simulators on %s\n", base)
	for _, a := range agencies {
		fmt.Fprintf(stdout, "  %-4s %s\n", bastjanst.Kod(a.Bastjanst), a.URL(base))
	}
	return server.ServeHTTP(ctx, ln, sims.Handler)
}
