// Command ssbtekd runs the gateway. With no agency URLs configured it starts
// every agency's simulator in-process on loopback, so `make run` needs nothing.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/ssbtek/gateway/adapters"
	"github.com/ssbtek/gateway/adapters/registry"
	"github.com/ssbtek/gateway/bastjanst"
	"github.com/ssbtek/gateway/fanout"
	"github.com/ssbtek/gateway/lookup"
	"github.com/ssbtek/gateway/server"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr, nil); err != nil {
		// -help is a request, not a failure: flag has printed the usage.
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(0)
		}
		fmt.Fprintf(os.Stderr, "ssbtekd: %v\n", err)
		os.Exit(1)
	}
}

// config is everything ssbtekd can be told, by flag or SSBTEK_* environment.
type config struct {
	grpcAddr, httpAddr string
	agencyTimeout      time.Duration
	overallTimeout     time.Duration
	maxBody            int64
	// operator is the organisationsnummer of the organisation running the
	// gateway, which agencies see on the calls no case worker makes.
	operator string
	// urls maps an agency name to its real endpoint; absent means simulated.
	urls map[string]string
	// observe is resilience and observability (observe.go).
	observe observeConfig
}

// organisationsnummer is SSBTEK's pattern for an organisationsnummer.
var organisationsnummer = regexp.MustCompile(`^[0-9]{4}[2-9][0-9]{7}$`)

func parseConfig(args []string, getenv func(string) string, stderr io.Writer) (config, error) {
	fs := flag.NewFlagSet("ssbtekd", flag.ContinueOnError)
	fs.SetOutput(stderr)
	env := func(name, def string) string {
		if v := getenv(name); v != "" {
			return v
		}
		return def
	}
	var c config
	fs.StringVar(&c.grpcAddr, "grpc-addr", env("SSBTEK_GRPC_ADDR", "127.0.0.1:9090"), "gRPC listen address (env SSBTEK_GRPC_ADDR)")
	fs.StringVar(&c.httpAddr, "http-addr", env("SSBTEK_HTTP_ADDR", "127.0.0.1:8080"), "HTTP listen address for REST, OpenAPI and SOAP (env SSBTEK_HTTP_ADDR)")
	agencyTimeout := fs.String("agency-timeout", env("SSBTEK_AGENCY_TIMEOUT", fanout.DefaultAgencyTimeout.String()), "each agency's deadline (env SSBTEK_AGENCY_TIMEOUT)")
	overallTimeout := fs.String("overall-timeout", env("SSBTEK_OVERALL_TIMEOUT", fanout.DefaultOverallTimeout.String()), "deadline of a whole question, at most 10s (env SSBTEK_OVERALL_TIMEOUT)")
	maxBody := fs.String("max-body", env("SSBTEK_MAX_BODY", "1048576"), "largest accepted request body in bytes, REST and SOAP (env SSBTEK_MAX_BODY)")
	fs.StringVar(&c.operator, "operator", env("SSBTEK_OPERATOR", adapters.DefaultOperator), "organisationsnummer of the organisation running the gateway, named on the agency pings no case worker makes (env SSBTEK_OPERATOR)")
	agencies := registry.Agencies()
	urlFlags := map[string]*string{}
	for _, a := range agencies {
		key := "SSBTEK_" + strings.ToUpper(a.Name) + "_URL"
		urlFlags[a.Name] = fs.String(a.Name+"-url", getenv(key), fmt.Sprintf("%s endpoint; empty runs the simulator in-process (env %s)", bastjanst.Kod(a.Bastjanst), key))
	}
	parseObserve := addObserveFlags(fs, env, agencies)
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	var errs []error
	var err error
	if c.observe, err = parseObserve(); err != nil {
		errs = append(errs, err)
	}
	if c.agencyTimeout, err = time.ParseDuration(*agencyTimeout); err != nil {
		errs = append(errs, fmt.Errorf("agency timeout: %w", err))
	}
	if c.overallTimeout, err = time.ParseDuration(*overallTimeout); err != nil {
		errs = append(errs, fmt.Errorf("overall timeout: %w", err))
	}
	if c.maxBody, err = strconv.ParseInt(*maxBody, 10, 64); err != nil || c.maxBody <= 0 {
		errs = append(errs, fmt.Errorf("max body %q is not a positive number of bytes", *maxBody))
	}
	if !organisationsnummer.MatchString(c.operator) {
		errs = append(errs, fmt.Errorf("operator %q is not an organisationsnummer (12 digits, the fifth 2-9)", c.operator))
	}
	c.urls = map[string]string{}
	for name, u := range urlFlags {
		if *u == "" {
			continue
		}
		// A URL without scheme or host would only fail at the first
		// question, as "agency unavailable"; say so at start instead.
		if p, err := url.Parse(*u); err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
			errs = append(errs, fmt.Errorf("%s url %q is not an http(s) URL", name, *u))
			continue
		}
		c.urls[name] = *u
	}
	return c, errors.Join(errs...)
}

// run starts the gateway and blocks until ctx ends. ready, when not nil,
// receives the bound addresses once everything listens (for tests).
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer, ready func(grpcAddr, httpAddr string)) error {
	cfg, err := parseConfig(args, getenv, stderr)
	if err != nil {
		return err
	}
	ob, err := startObservability(ctx, cfg.observe, getenv, stderr)
	if err != nil {
		return err
	}
	defer ob.close()
	log := ob.log

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	g, ctx := errgroup.WithContext(ctx)
	serveCtx := ob.health.Drain(ctx, cfg.observe.shutdownDelay) // readiness false first, then stop

	agencies := registry.Agencies()
	var simulated []adapters.Agency
	for _, a := range agencies {
		if cfg.urls[a.Name] == "" {
			simulated = append(simulated, a)
		}
	}
	var simBase string
	if len(simulated) > 0 {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return fmt.Errorf("listening for simulators: %w", err)
		}
		simBase = "http://" + ln.Addr().String()
		sims := registry.NewSimulators(simulated)
		g.Go(func() error { return server.ServeHTTP(serveCtx, ln, sims.Handler) })
	}

	var list []bastjanst.Adapter
	var banner strings.Builder
	for _, a := range agencies {
		u := cfg.urls[a.Name]
		how := "real"
		if u == "" {
			u, how = a.URL(simBase), "simulated"
		}
		list = append(list, a.New(adapters.Config{URL: u, Operator: cfg.operator, HTTP: ob.agencyHTTP(a.Bastjanst)}))
		fmt.Fprintf(&banner, "  %-4s %-9s %s\n", bastjanst.Kod(a.Bastjanst), how, u)
	}
	core, err := fanout.New(ob.fanout(fanout.Config{AgencyTimeout: cfg.agencyTimeout, OverallTimeout: cfg.overallTimeout}), list...)
	if err != nil {
		return err
	}
	svc := lookup.New(core, log)

	grpcLn, err := net.Listen("tcp", cfg.grpcAddr)
	if err != nil {
		return fmt.Errorf("listening for gRPC: %w", err)
	}
	httpLn, err := net.Listen("tcp", cfg.httpAddr)
	if err != nil {
		grpcLn.Close()
		return fmt.Errorf("listening for HTTP: %w", err)
	}
	grpcLn, httpLn = ob.listen(grpcLn), ob.listen(httpLn)
	opts := server.Options{Log: log, MaxBody: cfg.maxBody, Extra: ob.routes(extraRoutes(svc, cfg, log)), Interceptors: ob.interceptors(), Health: ob.health.GRPC()}
	gs, err := server.NewGRPC(svc, opts)
	if err != nil {
		return err
	}
	hh, err := server.NewHTTP(ctx, svc, opts)
	if err != nil {
		return err
	}
	g.Go(func() error { return server.ServeGRPC(serveCtx, grpcLn, gs) })
	g.Go(func() error { return server.ServeHTTP(serveCtx, httpLn, ob.handler(hh)) })
	ob.health.Up("grpc")
	ob.health.Up("http")

	httpURL := "http://" + httpLn.Addr().String()
	fmt.Fprintf(stdout, `ssbtek-gateway is running
  gRPC       %s   (reflection on: grpcurl -plaintext %s list)
  REST       %s/v1/sammanstallning
  OpenAPI    %s/openapi.json
  SOAP       %s/ssbtek   (WSDL: %s/ssbtek?wsdl)
  health     %s/healthz
agencies:
%s`, grpcLn.Addr(), grpcLn.Addr(), httpURL, httpURL, httpURL, httpURL, httpURL, banner.String())
	if ready != nil {
		ready(grpcLn.Addr().String(), httpLn.Addr().String())
	}
	err = g.Wait()
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}
