package main

import (
	"context"
	"flag"
	"fmt"
	"net"
	"net/http"
	"net/http/pprof"
	"strconv"
	"time"

	"golang.org/x/sync/errgroup"
)

// DefaultOpsAddr is where `make run` serves health, readiness and metrics:
// loopback, beside the gRPC (9090) and HTTPS (8080) listeners.
const DefaultOpsAddr = "127.0.0.1:9091"

// opsConfig is the operations listener: plain HTTP for the platform
// (Kubernetes probes, Prometheus, an operator with pprof), never for
// municipalities. It carries no TLS and no caller check, so it must be bound
// to an address only the platform reaches (a pod's port that no Service
// exposes, or loopback); the client-certificate listeners serve business
// routes only.
type opsConfig struct {
	addr  string
	pprof bool
}

// opsFlags registers -ops-addr and -pprof on fs; the returned function reads
// them once fs is parsed.
func opsFlags(fs *flag.FlagSet, env func(name, def string) string) func() (opsConfig, error) {
	var c opsConfig
	fs.StringVar(&c.addr, "ops-addr", env("SSBTEK_OPS_ADDR", DefaultOpsAddr), "plain-HTTP operations listener serving /healthz, /readyz, /metrics (and pprof with -pprof); an internal address, never a public one; empty: none (env SSBTEK_OPS_ADDR)")
	pprofEnv := env("SSBTEK_PPROF", "false")
	pprofDefault, envErr := strconv.ParseBool(pprofEnv)
	fs.BoolVar(&c.pprof, "pprof", pprofDefault, "debug only: also serve net/http/pprof at /debug/pprof/ on the operations listener (env SSBTEK_PPROF)")
	return func() (opsConfig, error) {
		if envErr != nil {
			return c, fmt.Errorf("SSBTEK_PPROF %q is not true or false", pprofEnv)
		}
		if c.pprof && c.addr == "" {
			return c, fmt.Errorf("pprof is served on the operations listener: give -ops-addr")
		}
		return c, nil
	}
}

// opsHandler is every route of the operations listener in one place.
func (o *observability) opsHandler(pprofOn bool) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /healthz", o.health.Live())
	mux.Handle("GET /readyz", o.health.ReadyHandler())
	if o.cfg.metrics {
		mux.Handle("GET /metrics", o.metrics.Handler())
	}
	if pprofOn {
		mux.HandleFunc("/debug/pprof/", pprof.Index)
		mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
		mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
		mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
		mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	}
	return mux
}

// startOps listens on c.addr and serves the operations routes in g until
// ctx ends; it returns the bound address ("" when there is no listener).
// ctx is the servers' context: during -shutdown-delay /readyz still answers
// (503), so a probe sees the pod leave before its listeners close.
func (o *observability) startOps(ctx context.Context, c opsConfig, g *errgroup.Group) (string, error) {
	if c.addr == "" {
		return "", nil
	}
	ln, err := net.Listen("tcp", c.addr)
	if err != nil {
		return "", fmt.Errorf("listening for operations: %w", err)
	}
	// No WriteTimeout: a CPU profile or trace streams for its whole duration.
	srv := &http.Server{Handler: o.opsHandler(c.pprof), ReadHeaderTimeout: 5 * time.Second, IdleTimeout: time.Minute}
	// Plaintext, for probes and scrapers: only its number of connections
	// is bounded.
	bounded, _ := o.listen(ln, nil)
	g.Go(func() error {
		stop := context.AfterFunc(ctx, func() { srv.Close() })
		defer stop()
		if err := srv.Serve(bounded); err != http.ErrServerClosed {
			return fmt.Errorf("serving operations: %w", err)
		}
		return nil
	})
	return ln.Addr().String(), nil
}
