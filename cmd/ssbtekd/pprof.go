package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/pprof"
	"time"

	"golang.org/x/sync/errgroup"
)

// pprofFlag registers -pprof: the loopback address of a debug listener
// serving net/http/pprof, for profiling under load (make bench-load). Off by
// default; it has no TLS and no caller check, so it may only listen on
// loopback, where only the machine's own users reach it.
func pprofFlag(fs *flag.FlagSet, env func(name, def string) string) *string {
	return fs.String("pprof", env("SSBTEK_PPROF", ""), "debug only: serve net/http/pprof on this loopback address, e.g. 127.0.0.1:6060; empty is off (env SSBTEK_PPROF)")
}

// startPprof starts the debug listener when addr is set; it stops with ctx.
func startPprof(ctx context.Context, addr string, g *errgroup.Group, stdout io.Writer) error {
	if addr == "" {
		return nil
	}
	if !loopback(addr) {
		return fmt.Errorf("pprof listens on loopback only, not %q", addr)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listening for pprof: %w", err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	// No WriteTimeout: a CPU profile or trace streams for its whole duration.
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	fmt.Fprintf(stdout, "  pprof      http://%s/debug/pprof/ (debug only)\n", ln.Addr())
	g.Go(func() error {
		go func() { <-ctx.Done(); srv.Close() }()
		if err := srv.Serve(ln); err != http.ErrServerClosed {
			return fmt.Errorf("serving pprof: %w", err)
		}
		return nil
	})
	return nil
}
