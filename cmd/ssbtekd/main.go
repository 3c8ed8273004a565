// Command ssbtekd runs the gateway. Every listener speaks TLS and demands a
// client certificate from a configured CA; the caller's organisation comes
// from that certificate, what it may ask from the rights file. Agencies are
// reached at their configured URLs; only with -simulate are the missing ones
// answered by in-process simulators, and then every such answer is logged as
// SIMULATED.
//
// `make run` needs nothing: -dev-certs ./data creates a development CA,
// server and client certificates and a rights file on first start.
package main

import (
	"context"
	"crypto/tls"
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
	"github.com/ssbtek/gateway/audit"
	"github.com/ssbtek/gateway/bastjanst"
	"github.com/ssbtek/gateway/fanout"
	"github.com/ssbtek/gateway/identity"
	"github.com/ssbtek/gateway/internal/pki"
	"github.com/ssbtek/gateway/lookup"
	"github.com/ssbtek/gateway/quota"
	"github.com/ssbtek/gateway/rights"
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
	// perCaller bounds one sender's lookups in flight (fairness).
	perCaller int
	// operator is the organisationsnummer of the organisation running the
	// gateway, which agencies see on the calls no case worker makes.
	operator string
	// publicURL is the SOAP endpoint's URL as clients reach it, for the WSDL;
	// empty means the HTTP listener's own address.
	publicURL string
	// urls maps an agency name to its real endpoint.
	urls map[string]string
	// simulate answers agencies without URL from in-process simulators.
	simulate bool

	tlsCert, tlsKey, clientCA string
	// devCerts is the directory of the development certificates and rights.
	devCerts string
	devFiles *pki.DevFiles
	// devPlaintext serves without TLS on loopback, every caller devOrg.
	devPlaintext bool
	devOrg       string

	rightsFile   string
	rightsReload time.Duration
	limits       agencyLimits
	// observe is resilience and observability (observe.go).
	observe observeConfig
	audit   auditConfig
	bounds  boundsConfig
	ops     opsConfig // -ops-addr, -pprof (ops.go)
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
	fs.StringVar(&c.httpAddr, "http-addr", env("SSBTEK_HTTP_ADDR", "127.0.0.1:8080"), "HTTPS listen address for REST, OpenAPI and SOAP (env SSBTEK_HTTP_ADDR)")
	agencyTimeout := fs.String("agency-timeout", env("SSBTEK_AGENCY_TIMEOUT", fanout.DefaultAgencyTimeout.String()), "each agency's deadline (env SSBTEK_AGENCY_TIMEOUT)")
	overallTimeout := fs.String("overall-timeout", env("SSBTEK_OVERALL_TIMEOUT", fanout.DefaultOverallTimeout.String()), "deadline of a whole question, at most 10s (env SSBTEK_OVERALL_TIMEOUT)")
	maxBody := fs.String("max-body", env("SSBTEK_MAX_BODY", "1048576"), "largest accepted request body in bytes, REST and SOAP (env SSBTEK_MAX_BODY)")
	perCaller := fs.String("max-in-flight-per-caller", env("SSBTEK_MAX_IN_FLIGHT_PER_CALLER", "32"), "lookups one sender (client certificate organisation) may have in flight at once; more are refused with 429/RESOURCE_EXHAUSTED/1004; 0 no bound (env SSBTEK_MAX_IN_FLIGHT_PER_CALLER)")
	fs.StringVar(&c.operator, "operator", env("SSBTEK_OPERATOR", adapters.DefaultOperator), "organisationsnummer of the organisation running the gateway, named on the agency pings no case worker makes (env SSBTEK_OPERATOR)")
	var errs []error
	envBool := func(name string) bool {
		v := getenv(name)
		if v == "" {
			return false
		}
		b, err := strconv.ParseBool(v)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s %q is not a boolean", name, v))
		}
		return b
	}
	fs.BoolVar(&c.simulate, "simulate", envBool("SSBTEK_SIMULATE"), "answer every agency without a URL from an in-process simulator with invented test data (env SSBTEK_SIMULATE)")
	fs.StringVar(&c.tlsCert, "tls-cert", getenv("SSBTEK_TLS_CERT"), "the server certificate, PEM (env SSBTEK_TLS_CERT)")
	fs.StringVar(&c.tlsKey, "tls-key", getenv("SSBTEK_TLS_KEY"), "the server certificate's key, PEM (env SSBTEK_TLS_KEY)")
	fs.StringVar(&c.clientCA, "client-ca", getenv("SSBTEK_CLIENT_CA"), "bundle of the CAs whose client certificates are accepted, PEM (env SSBTEK_CLIENT_CA)")
	fs.StringVar(&c.devCerts, "dev-certs", getenv("SSBTEK_DEV_CERTS"), "development only: create (once) a CA, server and client certificates and a rights file in this directory and use them (env SSBTEK_DEV_CERTS)")
	fs.BoolVar(&c.devPlaintext, "dev-plaintext", envBool("SSBTEK_DEV_PLAINTEXT"), "development only: no TLS, loopback addresses only, every caller is -dev-organisation (env SSBTEK_DEV_PLAINTEXT)")
	fs.StringVar(&c.devOrg, "dev-organisation", env("SSBTEK_DEV_ORGANISATION", devKommun), "with -dev-plaintext: the organisationsnummer every caller has (env SSBTEK_DEV_ORGANISATION)")
	fs.StringVar(&c.rightsFile, "rights", getenv("SSBTEK_RIGHTS"), "the rights file, YAML: connected organisations, their ombud, agencies and quotas (env SSBTEK_RIGHTS)")
	rightsReload := fs.String("rights-reload", env("SSBTEK_RIGHTS_RELOAD", "1m"), "how often the rights file is read again, 0 for only on SIGHUP (env SSBTEK_RIGHTS_RELOAD)")
	rate := fs.String("agency-rate", getenv("SSBTEK_AGENCY_RATE"), fmt.Sprintf("questions per second to each agency: N, or AF=N,FK=N,…; 0 is unlimited (default %g; env SSBTEK_AGENCY_RATE)", quota.DefaultRate))
	burst := fs.String("agency-burst", getenv("SSBTEK_AGENCY_BURST"), fmt.Sprintf("questions that may go at once above the rate, per agency, same form (default %d; env SSBTEK_AGENCY_BURST)", quota.DefaultBurst))
	daily := fs.String("agency-daily", getenv("SSBTEK_AGENCY_DAILY"), fmt.Sprintf("questions each agency may be asked per Swedish day, counted across every replica on the audit database, same form; 0 is unbounded (default %d; env SSBTEK_AGENCY_DAILY)", quota.DefaultDaily))
	fs.StringVar(&c.publicURL, "public-url", getenv("SSBTEK_PUBLIC_URL"), "the SOAP endpoint's URL as clients reach it, written into the served WSDL; empty means the listener's own address (env SSBTEK_PUBLIC_URL)")
	agencies := registry.Agencies()
	urlFlags := map[string]*string{}
	for _, a := range agencies {
		key := "SSBTEK_" + strings.ToUpper(a.Name) + "_URL"
		urlFlags[a.Name] = fs.String(a.Name+"-url", getenv(key), fmt.Sprintf("%s endpoint, an http(s) URL (env %s)", bastjanst.Kod(a.Bastjanst), key))
	}
	parseObserve := addObserveFlags(fs, env, agencies)
	readAudit := auditFlags(fs, env)
	readBounds := boundsFlags(fs, env)
	readOps := opsFlags(fs, env)
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if obs, err := parseObserve(); err != nil {
		errs = append(errs, err)
	} else {
		c.observe = obs
	}
	var err error
	if c.ops, err = readOps(); err != nil {
		errs = append(errs, err)
	}
	if c.audit, err = readAudit(); err != nil {
		errs = append(errs, err)
	}
	if c.bounds, err = readBounds(); err != nil {
		errs = append(errs, err)
	}
	if c.agencyTimeout, err = time.ParseDuration(*agencyTimeout); err != nil {
		errs = append(errs, fmt.Errorf("agency timeout: %w", err))
	}
	if c.overallTimeout, err = time.ParseDuration(*overallTimeout); err != nil {
		errs = append(errs, fmt.Errorf("overall timeout: %w", err))
	}
	if c.rightsReload, err = time.ParseDuration(*rightsReload); err != nil || c.rightsReload < 0 {
		errs = append(errs, fmt.Errorf("rights reload %q is not a duration ≥ 0", *rightsReload))
	}
	if c.perCaller, err = strconv.Atoi(*perCaller); err != nil || c.perCaller < 0 {
		errs = append(errs, fmt.Errorf("max in flight per caller %q is not a number of lookups", *perCaller))
	}
	if c.maxBody, err = strconv.ParseInt(*maxBody, 10, 64); err != nil || c.maxBody <= 0 {
		errs = append(errs, fmt.Errorf("max body %q is not a positive number of bytes", *maxBody))
	}
	for _, o := range []struct{ name, v string }{{"operator", c.operator}, {"dev organisation", c.devOrg}} {
		if !organisationsnummer.MatchString(o.v) {
			errs = append(errs, fmt.Errorf("%s %q is not an organisationsnummer (12 digits, the fifth 2-9)", o.name, o.v))
		}
	}
	for _, l := range []struct {
		name string
		s    string
		p    *perAgency
	}{{"agency rate", *rate, &c.limits.rate}, {"agency burst", *burst, &c.limits.burst}, {"agency daily", *daily, &c.limits.daily}} {
		if *l.p, err = parsePerAgency(l.name, l.s); err != nil {
			errs = append(errs, err)
		}
	}
	c.urls = map[string]string{}
	var missing []string
	for _, a := range agencies {
		u := *urlFlags[a.Name]
		if u == "" {
			missing = append(missing, a.Name)
			continue
		}
		// A URL without scheme or host would only fail at the first
		// question, as "agency unavailable"; say so at start instead.
		if p, err := url.Parse(u); err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
			errs = append(errs, fmt.Errorf("%s url %q is not an http(s) URL", a.Name, u))
			continue
		}
		c.urls[a.Name] = u
	}
	// An empty URL once meant a simulator: a misconfigured production gateway
	// would have handed case workers invented data.
	if len(missing) > 0 && !c.simulate {
		errs = append(errs, fmt.Errorf("no URL for %s (set -<agency>-url or SSBTEK_<AGENCY>_URL; -simulate answers them with invented test data)", strings.Join(missing, ", ")))
	}
	errs = append(errs, c.checkSecurity()...)
	return c, errors.Join(errs...)
}

// checkSecurity reports a configuration that would listen without verifying
// callers.
func (c config) checkSecurity() []error {
	var errs []error
	given := c.tlsCert != "" || c.tlsKey != "" || c.clientCA != ""
	switch {
	case c.devPlaintext && (given || c.devCerts != ""):
		errs = append(errs, errors.New("dev plaintext excludes TLS: give either -dev-plaintext or certificates"))
	case c.devPlaintext:
		for _, a := range []string{c.grpcAddr, c.httpAddr} {
			if !loopback(a) {
				errs = append(errs, fmt.Errorf("dev plaintext listens on loopback only, not %q", a))
			}
		}
	case c.devCerts != "" && given:
		errs = append(errs, errors.New("-dev-certs makes its own certificates: give either it or -tls-cert, -tls-key and -client-ca"))
	case c.devCerts == "" && (c.tlsCert == "" || c.tlsKey == "" || c.clientCA == ""):
		errs = append(errs, errors.New("TLS needs -tls-cert, -tls-key and -client-ca (for development: -dev-certs DIR, or -dev-plaintext)"))
	}
	if c.rightsFile == "" && c.devCerts == "" && !c.devPlaintext {
		errs = append(errs, errors.New("no rights file (-rights or SSBTEK_RIGHTS): every question would be refused"))
	}
	return errs
}

// loopback reports whether addr's host is a loopback address or localhost.
func loopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// listening is where a started gateway listens.
type listening struct {
	grpc, http string
	// ops is the operations listener ("" without one).
	ops string
}

// run starts the gateway and blocks until ctx ends. ready, when not nil,
// receives the bound addresses once everything listens (for tests).
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer, ready func(listening)) error {
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
	if cfg.devCerts != "" {
		if err := devSetup(&cfg, stdout); err != nil {
			return err
		}
	}
	opts := server.Options{Log: log, MaxBody: cfg.maxBody, Tjanster: adapters.Tjanster(registry.Agencies())}
	var httpTLS *tls.Config
	if cfg.devPlaintext {
		opts.DevCaller = &identity.Caller{Subject: "dev-plaintext", Organisationsnummer: cfg.devOrg, SerialNumber: cfg.devOrg, Development: true}
	} else {
		if httpTLS, err = identity.LoadServerTLS(cfg.tlsCert, cfg.tlsKey, cfg.clientCA); err != nil {
			return err
		}
		opts.TLS = httpTLS
	}
	rs, err := openRights(cfg)
	if err != nil {
		return err
	}

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	g, ctx := errgroup.WithContext(ctx)
	serveCtx := ob.health.Drain(ctx, cfg.observe.shutdownDelay) // readiness false first, then stop

	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	g.Go(func() error { rs.Watch(ctx, cfg.rightsReload, hup, log); return nil })
	opsAddr, err := ob.startOps(serveCtx, cfg.ops, g)
	if err != nil {
		return err
	}

	agencies := registry.Agencies()
	var simulatedAgencies []adapters.Agency
	for _, a := range agencies {
		if cfg.urls[a.Name] == "" {
			simulatedAgencies = append(simulatedAgencies, a)
		}
	}
	var simBase string
	if len(simulatedAgencies) > 0 {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return fmt.Errorf("listening for simulators: %w", err)
		}
		simBase = "http://" + ln.Addr().String()
		sims := registry.NewSimulators(simulatedAgencies)
		g.Go(func() error { return serveSimulators(serveCtx, ln, sims.Handler) })
	}

	// The audit store first: the limits are counted in its database.
	store, limits, err := openAudit(ctx, cfg.audit)
	if err != nil {
		return err
	}
	defer limits.Close()
	storeOwned := true
	defer func() {
		if storeOwned {
			store.Close()
		}
	}()
	g.Go(func() error { pruneLimits(ctx, limits, log); return nil })

	var list []bastjanst.Adapter
	var banner strings.Builder
	for _, a := range agencies {
		u := cfg.urls[a.Name]
		// An agency at a URL is "external": the gateway cannot tell the
		// agency from bastjanstsim at that URL, so it claims neither; only
		// what it simulates itself is SIMULATED.
		how := "external"
		var ad bastjanst.Adapter
		if u == "" {
			u, how = a.URL(simBase), "SIMULATED"
			ad = simulated{Adapter: a.New(adapters.Config{URL: u, Operator: cfg.operator, HTTP: ob.agencyHTTP(a.Bastjanst)}), log: log}
		} else {
			ad = a.New(adapters.Config{URL: u, Operator: cfg.operator, HTTP: ob.agencyHTTP(a.Bastjanst)})
		}
		l := cfg.limits.of(a.Bastjanst)
		list = append(list, quota.Limit(ad, l, limits))
		fmt.Fprintf(&banner, "  %-4s %-9s %s  (rate %s/s, burst %d, %s a day)\n", bastjanst.Kod(a.Bastjanst), how, u, rateText(l.Rate), l.Burst, dailyText(l.Daily))
	}
	core, err := fanout.New(ob.fanout(fanout.Config{AgencyTimeout: cfg.agencyTimeout, OverallTimeout: cfg.overallTimeout}), list...)
	if err != nil {
		return err
	}
	// One keyed digest (-digest-secret) for the korrelationsid on spans and
	// in log lines, so both find the same question.
	svc := lookup.New(core, log, append([]lookup.Option{lookup.WithRights(rs), lookup.WithQuota(limits), lookup.WithDigest(ob.digest.Digest), lookup.WithCallerLimit(cfg.perCaller)}, cfg.bounds.options()...)...)
	if cfg.audit.origin == "" {
		cfg.audit.origin = audit.DefaultOrigin + "/" + cfg.operator
	}
	auditWhere, stopAudit, err := startAudit(ctx, cfg.audit, store, svc, g, log, ob.health.AddCheck)
	if err != nil {
		return err
	}
	storeOwned = false
	defer stopAudit()

	grpcLn, err := net.Listen("tcp", cfg.grpcAddr)
	if err != nil {
		return fmt.Errorf("listening for gRPC: %w", err)
	}
	httpLn, err := net.Listen("tcp", cfg.httpAddr)
	if err != nil {
		grpcLn.Close()
		return fmt.Errorf("listening for HTTP: %w", err)
	}
	// Each listener identifies its connections' organisations in its own
	// TLS handshakes (-max-conns-per-org and the rest).
	grpcLn, opts.TLS = ob.listen(grpcLn, httpTLS)
	httpLn, httpConnTLS := ob.listen(httpLn, httpTLS)
	scheme := "http"
	if httpTLS != nil {
		httpLn, scheme = tls.NewListener(httpLn, httpConnTLS), "https"
	}
	opts.Extra = extraRoutes(svc, cfg, log)
	opts.Interceptors, opts.Health = ob.interceptors(), ob.health.GRPC()
	opts = ob.serverOptions(opts)
	gs, err := server.NewGRPC(svc, opts)
	if err != nil {
		return err
	}
	hh, err := server.NewHTTP(ctx, svc, opts)
	if err != nil {
		return err
	}
	g.Go(func() error { return server.ServeGRPC(serveCtx, grpcLn, gs) })
	g.Go(func() error {
		return server.ServeHTTPTimeouts(serveCtx, httpLn, ob.handler(hh), ob.httpTimeouts(), log)
	})
	ob.health.Up("grpc")
	ob.health.Up("http")

	at := listening{grpc: grpcLn.Addr().String(), http: httpLn.Addr().String(), ops: opsAddr}
	printBanner(stdout, cfg, scheme+"://"+at.http, at, auditWhere, banner.String(), len(simulatedAgencies) > 0)
	if ready != nil {
		ready(at)
	}
	err = g.Wait()
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}

// serveSimulators serves the in-process simulators until ctx ends, then
// closes at once: their only clients are our own adapters, whose spare
// keep-alive connections would hold a graceful shutdown for seconds.
func serveSimulators(ctx context.Context, ln net.Listener, h http.Handler) error {
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serving simulators: %w", err)
	case <-ctx.Done():
		return srv.Close()
	}
}

func dailyText(n int) string {
	if n <= 0 {
		return "unbounded"
	}
	return strconv.Itoa(n)
}

func rateText(r float64) string {
	if r <= 0 {
		return "unlimited"
	}
	return strconv.FormatFloat(r, 'g', -1, 64)
}

// openRights opens the rights file; in the plaintext development mode
// without one, the development organisation may ask everything.
func openRights(cfg config) (*rights.Store, error) {
	if cfg.rightsFile != "" {
		return rights.Open(cfg.rightsFile)
	}
	r, err := rights.Parse([]byte(`organisationer: [{organisationsnummer: "` + cfg.devOrg + `", namn: development, bastjanster: [AF, CSN, FK, SKV, SO, TNS, MIV]}]`))
	if err != nil {
		return nil, err
	}
	return rights.Static(r), nil
}

func printBanner(w io.Writer, cfg config, httpURL string, at listening, auditWhere, agencies string, simulated bool) {
	fmt.Fprintf(w, "ssbtek-gateway is running\n")
	if simulated {
		fmt.Fprintf(w, "  SIMULATED agencies answer with invented test data: never use this for real cases\n")
	}
	if cfg.devPlaintext {
		fmt.Fprintf(w, "  PLAINTEXT DEVELOPMENT MODE: no TLS, loopback only, every caller is %s\n", cfg.devOrg)
	}
	fmt.Fprintf(w, `  gRPC       %s
  REST       %s/v1/sammanstallning
  OpenAPI    %s/openapi.json
  SOAP       %s/ssbtek   (WSDL: %s/ssbtek?wsdl)
  ops        %s
  rights     %s
  audit      %s
agencies:
%s`, at.grpc, httpURL, httpURL, httpURL, httpURL, opsText(cfg, at.ops), rightsText(cfg), auditWhere, agencies)
	if f := cfg.devFiles; f != nil {
		certs := fmt.Sprintf("%s --key %s --cacert %s", f.ClientCert("kommun"), f.ClientKey("kommun"), f.CA)
		fmt.Fprintf(w, `development client certificates in %s: kommun (%s), ombud (%s), utan-tns (%s)
  curl -s --cert %s %s/v1/bastjanster/test
  grpcurl -cert %s -key %s -cacert %s %s list
`, f.Dir, devKommun, devOmbud, devUtanTNS, certs, httpURL, f.ClientCert("kommun"), f.ClientKey("kommun"), f.CA, at.grpc)
	}
}

// opsText names the operations listener's routes, plain HTTP.
func opsText(cfg config, addr string) string {
	if addr == "" {
		return "none (-ops-addr is empty): no /healthz, /readyz, /metrics"
	}
	routes := "/healthz /readyz"
	if cfg.observe.metrics {
		routes += " /metrics"
	}
	if cfg.ops.pprof {
		routes += " /debug/pprof/"
	}
	return "http://" + addr + "   (" + routes + ")"
}

func rightsText(cfg config) string {
	if cfg.rightsFile == "" {
		return "none: the development organisation may ask every agency"
	}
	return cfg.rightsFile + " (reloaded on SIGHUP and every " + cfg.rightsReload.String() + ")"
}
