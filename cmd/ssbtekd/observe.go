package main

import (
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"google.golang.org/grpc"

	"github.com/ssbtek/gateway/adapters"
	"github.com/ssbtek/gateway/adapters/httpcall"
	"github.com/ssbtek/gateway/bastjanst"
	"github.com/ssbtek/gateway/fanout"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
	"github.com/ssbtek/gateway/guard"
	"github.com/ssbtek/gateway/health"
	"github.com/ssbtek/gateway/legacy"
	"github.com/ssbtek/gateway/metrics"
	"github.com/ssbtek/gateway/redact"
	"github.com/ssbtek/gateway/server"
	"github.com/ssbtek/gateway/tracing"
)

// observeConfig is what ssbtekd is told about resilience and observability.
type observeConfig struct {
	logLevel, causeLevel slog.Level
	metrics              bool
	// conns bound each TLS listener's connections (-max-conns and the rest).
	conns guard.ConnLimits
	// grpcIdle, grpcAge bound a gRPC connection's idleness and life;
	// minBodyRate an HTTP request body's pace (server.HTTPTimeouts).
	grpcIdle, grpcAge time.Duration
	minBodyRate       int64
	shutdownDelay     time.Duration
	digestSecret      string
	// def and agencies are the fan-out core's per-agency policies.
	def      fanout.AgencyConfig
	agencies map[ssbtekv1.Bastjanst]fanout.AgencyConfig
}

// addObserveFlags defines the flags on fs and returns the function that
// reads them once fs is parsed.
func addObserveFlags(fs *flag.FlagSet, env func(name, def string) string, agencies []adapters.Agency) func() (observeConfig, error) {
	str := func(name, envName, def, usage string) *string {
		return fs.String(name, env(envName, def), fmt.Sprintf("%s (env %s)", usage, envName))
	}
	logLevel := str("log-level", "SSBTEK_LOG_LEVEL", "info", "log level: debug, info, warn or error")
	causeLevel := str("agency-error-level", "SSBTEK_AGENCY_ERROR_LEVEL", "warn", "level at which the cause of every agency error is logged (scrubbed of identifiers)")
	metricsOn := str("metrics", "SSBTEK_METRICS", "true", "serve Prometheus metrics at /metrics on the operations listener (-ops-addr)")
	maxConns := str("max-conns", "SSBTEK_MAX_CONNS", "1000", "connections with a verified client certificate each listener (gRPC, HTTPS) holds at once, every organisation together; past it a handshake fails; 0 means no limit")
	perOrg := str("max-conns-per-org", "SSBTEK_MAX_CONNS_PER_ORG", "100", "connections one organisation (its certificate's organisationsnummer) holds at once on each listener; past it its handshake fails; 0 means no limit")
	unidentified := str("max-unidentified-conns", "SSBTEK_MAX_UNIDENTIFIED_CONNS", "1000", "connections each listener holds that have not yet presented a verified client certificate; past it the oldest of them is closed")
	handshake := str("handshake-timeout", "SSBTEK_HANDSHAKE_TIMEOUT", server.DefaultHTTPTimeouts.ReadHeader.String(), "time a new connection has to complete its TLS handshake with a verified client certificate")
	grpcIdle := str("grpc-max-idle", "SSBTEK_GRPC_MAX_IDLE", server.DefaultMaxConnectionIdle.String(), "a gRPC connection without calls for this long is closed (GOAWAY)")
	grpcAge := str("grpc-max-age", "SSBTEK_GRPC_MAX_AGE", server.DefaultMaxConnectionAge.String(), "a gRPC connection this old is closed (GOAWAY) once its calls end")
	minBodyRate := str("min-body-rate", "SSBTEK_MIN_BODY_RATE", strconv.FormatInt(server.DefaultHTTPTimeouts.MinBodyRate, 10), fmt.Sprintf("bytes a second an HTTP request body must arrive at, after %v; slower is ended; 0 means only the 30 s read timeout", server.DefaultHTTPTimeouts.BodyGrace))
	delay := str("shutdown-delay", "SSBTEK_SHUTDOWN_DELAY", "1s", "on SIGTERM, how long /readyz says not ready before the listeners stop taking connections")
	secret := str("digest-secret", "SSBTEK_DIGEST_SECRET", "", fmt.Sprintf("per-deployment secret (at least %d bytes) keying the korrelationsid digest in logs and traces; empty: a random key per process", redact.MinKeyLen))
	maxInFlight := str("max-in-flight", "SSBTEK_MAX_IN_FLIGHT", strconv.Itoa(fanout.DefaultMaxInFlight), "calls in flight to each agency at most")
	queue := str("queue-timeout", "SSBTEK_QUEUE_TIMEOUT", fanout.DefaultQueueTimeout.String(), "how long a question waits for an agency's free slot before that agency answers 2005")
	failures := str("breaker-failures", "SSBTEK_BREAKER_FAILURES", strconv.Itoa(fanout.DefaultBreakerFailures), "consecutive failures that open an agency's circuit breaker; 0 turns breakers off")
	openFor := str("breaker-open", "SSBTEK_BREAKER_OPEN", fanout.DefaultBreakerOpenFor.String(), "how long an open breaker refuses calls before it probes")
	attempts := str("retry-attempts", "SSBTEK_RETRY_ATTEMPTS", strconv.Itoa(fanout.DefaultRetryAttempts), "tries of a call that failed safely (refused, reset, HTTP 502/503), the first included; 1 turns retry off")
	type perAgency struct{ maxInFlight, queue *string }
	per := map[ssbtekv1.Bastjanst]perAgency{}
	for _, a := range agencies {
		up := "SSBTEK_" + strings.ToUpper(a.Name)
		per[a.Bastjanst] = perAgency{
			maxInFlight: str(a.Name+"-max-in-flight", up+"_MAX_IN_FLIGHT", "", bastjanst.Kod(a.Bastjanst)+"'s own -max-in-flight"),
			queue:       str(a.Name+"-queue-timeout", up+"_QUEUE_TIMEOUT", "", bastjanst.Kod(a.Bastjanst)+"'s own -queue-timeout"),
		}
	}

	return func() (observeConfig, error) {
		var c observeConfig
		var errs []error
		level := func(name, s string) slog.Level {
			var l slog.Level
			if err := l.UnmarshalText([]byte(s)); err != nil {
				errs = append(errs, fmt.Errorf("%s %q: want debug, info, warn or error", name, s))
			}
			return l
		}
		num := func(name, s string, least int) int {
			n, err := strconv.Atoi(s)
			if err != nil || n < least {
				errs = append(errs, fmt.Errorf("%s %q is not a whole number of at least %d", name, s, least))
			}
			return n
		}
		dur := func(name, s string) time.Duration {
			d, err := time.ParseDuration(s)
			if err != nil || d < 0 {
				errs = append(errs, fmt.Errorf("%s %q is not a duration of at least 0", name, s))
			}
			return d
		}
		c.logLevel = level("log level", *logLevel)
		c.causeLevel = level("agency error level", *causeLevel)
		var err error
		if c.metrics, err = strconv.ParseBool(*metricsOn); err != nil {
			errs = append(errs, fmt.Errorf("metrics %q is not true or false", *metricsOn))
		}
		c.conns = guard.ConnLimits{
			Identified:      num("max conns", *maxConns, 0),
			PerOrganisation: num("max conns per org", *perOrg, 0),
			Unidentified:    num("max unidentified conns", *unidentified, 1),
			Handshake:       dur("handshake timeout", *handshake),
		}
		if c.conns.Handshake == 0 {
			errs = append(errs, errors.New("handshake timeout 0: a silent connection would be held for ever"))
		}
		c.grpcIdle, c.grpcAge = dur("grpc max idle", *grpcIdle), dur("grpc max age", *grpcAge)
		c.minBodyRate = int64(num("min body rate", *minBodyRate, 0))
		c.shutdownDelay = dur("shutdown delay", *delay)
		c.digestSecret = *secret
		if c.digestSecret != "" && len(c.digestSecret) < redact.MinKeyLen {
			errs = append(errs, fmt.Errorf("digest secret has %d bytes, want at least %d", len(c.digestSecret), redact.MinKeyLen))
		}
		c.def = fanout.AgencyConfig{
			MaxInFlight:  num("max in flight", *maxInFlight, 1),
			QueueTimeout: dur("queue timeout", *queue),
			Breaker:      fanout.BreakerConfig{Failures: uint32(max(num("breaker failures", *failures, 0), 0)), OpenFor: dur("breaker open", *openFor)},
			Retry:        fanout.RetryConfig{Attempts: num("retry attempts", *attempts, 1)},
		}
		c.def.Breaker.Off = c.def.Breaker.Failures == 0
		c.agencies = map[ssbtekv1.Bastjanst]fanout.AgencyConfig{}
		for b, p := range per {
			var ac fanout.AgencyConfig
			kod := strings.ToLower(bastjanst.Kod(b))
			if *p.maxInFlight != "" {
				ac.MaxInFlight = num(kod+" max in flight", *p.maxInFlight, 1)
			}
			if *p.queue != "" {
				ac.QueueTimeout = dur(kod+" queue timeout", *p.queue)
			}
			c.agencies[b] = ac
		}
		return c, errors.Join(errs...)
	}
}

// observability is everything that watches and guards the gateway.
type observability struct {
	cfg     observeConfig
	log     *slog.Logger
	reg     *prometheus.Registry
	metrics *metrics.Metrics
	tracer  *tracing.Provider
	digest  *redact.Digester
	health  *health.Checker
}

func startObservability(ctx context.Context, cfg observeConfig, getenv func(string) string, stderr io.Writer) (*observability, error) {
	o := &observability{cfg: cfg, log: slog.New(slog.NewJSONHandler(stderr, &slog.HandlerOptions{Level: cfg.logLevel}))}
	o.reg = prometheus.NewRegistry()
	o.reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	var err error
	if o.metrics, err = metrics.New(o.reg, o.reg); err != nil {
		return nil, fmt.Errorf("metrics: %w", err)
	}
	if o.tracer, err = tracing.New(ctx, "ssbtekd", getenv); err != nil {
		return nil, err
	}
	if cfg.digestSecret != "" {
		if o.digest, err = redact.NewDigester([]byte(cfg.digestSecret)); err != nil {
			return nil, err
		}
	} else {
		o.log.Warn("no -digest-secret: korrelationsid digests are keyed per process and differ between replicas and restarts")
		o.digest = redact.RandomDigester()
	}
	o.health = health.New([]string{"grpc", "http"}, ssbtekv1.SammansattBastjanstService_ServiceDesc.ServiceName)
	return o, nil
}

// fanout adds the policies and telemetry to the core's config.
func (o *observability) fanout(c fanout.Config) fanout.Config {
	c.Default, c.Agencies = o.cfg.def, o.cfg.agencies
	c.Observer, c.Tracer, c.Digest = o.metrics, o.tracer, o.digest.Digest
	c.Log, c.CauseLevel = o.log, o.cfg.causeLevel
	return c
}

// agencyHTTP is agency b's own HTTP client: the shared client's transport
// settings, with an idle pool as large as b's bulkhead, so that at steady
// load every call in flight finds a kept-alive connection instead of
// closing and reopening one (one shared pool of 32 per host churned
// hundreds of TCP connections a minute at 64 in flight).
func (o *observability) agencyHTTP(b ssbtekv1.Bastjanst) *http.Client {
	n := o.cfg.def.MaxInFlight
	if a := o.cfg.agencies[b]; a.MaxInFlight > 0 {
		n = a.MaxInFlight
	}
	shared := httpcall.DefaultHTTPClient()
	tr := shared.Transport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = n
	tr.MaxIdleConns = 0 // no total cap: the per-host one is the bound
	return &http.Client{Transport: tr, Timeout: shared.Timeout}
}

// listen bounds a listener's connections: without TLS (the plaintext
// development mode, the operations listener) only their number; with it, unidentified ones and each
// organisation's apart (guard.ConnLimits), and it returns the TLS
// configuration that identifies them.
func (o *observability) listen(ln net.Listener, tc *tls.Config) (net.Listener, *tls.Config) {
	if tc == nil {
		return guard.LimitListener(ln, o.cfg.conns.Identified), nil
	}
	g := guard.NewListener(ln, o.cfg.conns)
	return g, g.TLSConfig(tc)
}

// serverOptions adds the connection bounds to the servers' options.
func (o *observability) serverOptions(opts server.Options) server.Options {
	opts.HandshakeTimeout = o.cfg.conns.Handshake
	opts.MaxConnectionIdle, opts.MaxConnectionAge = o.cfg.grpcIdle, o.cfg.grpcAge
	return opts
}

// httpTimeouts are the HTTP listener's bounds.
func (o *observability) httpTimeouts() server.HTTPTimeouts {
	t := server.DefaultHTTPTimeouts
	t.MinBodyRate = o.cfg.minBodyRate
	return t
}

// interceptors are the gRPC server's: recovery outermost, so a panic in
// the metrics code is caught too.
func (o *observability) interceptors() []grpc.UnaryServerInterceptor {
	return []grpc.UnaryServerInterceptor{guard.RecoverUnary(o.log), o.metrics.UnaryInterceptor()}
}

// handler wraps the HTTP handler in recovery and request metrics.
func (o *observability) handler(h http.Handler) http.Handler {
	return guard.RecoverHTTP(o.metrics.HTTP(h, func(r *http.Request) string {
		switch {
		case strings.HasPrefix(r.URL.Path, "/v1/"):
			return "rest"
		case r.URL.Path == legacy.Path:
			return "soap"
		}
		return ""
	}), o.log)
}

// close flushes the traces.
func (o *observability) close() {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := o.tracer.Shutdown(ctx); err != nil {
		o.log.Warn("flushing traces", slog.String("err", err.Error()))
	}
}
