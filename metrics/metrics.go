// Package metrics exposes the gateway's Prometheus metrics: per-agency call
// latency, outcomes, calls in flight, breaker state and retries (it is the
// fan-out core's Observer), requests by interface and result (a gRPC
// interceptor and an HTTP middleware), and rate-limit rejections (a counter
// the quota code increments). Everything is registered on the registry the
// caller passes in: no global registry.
package metrics

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"google.golang.org/grpc"
	"google.golang.org/grpc/status"

	"github.com/ssbtek/gateway/bastjanst"
	"github.com/ssbtek/gateway/fanout"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
)

// Metrics holds the collectors. Build it with New.
type Metrics struct {
	gatherer    prometheus.Gatherer
	latency     *prometheus.HistogramVec
	outcomes    *prometheus.CounterVec
	cancelled   *prometheus.CounterVec
	inFlight    *prometheus.GaugeVec
	breaker     *prometheus.GaugeVec
	retries     *prometheus.CounterVec
	rateLimited *prometheus.CounterVec
	requests    *prometheus.CounterVec
	reqLatency  *prometheus.HistogramVec
}

var _ fanout.Observer = (*Metrics)(nil)

// Buckets span the service level: most answers well under 2 s, none over 10 s.
var buckets = []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2, 4, 8, 10}

// New registers the gateway's collectors on reg; gatherer (usually the same
// registry) is what Handler serves.
func New(reg prometheus.Registerer, gatherer prometheus.Gatherer) (*Metrics, error) {
	m := &Metrics{
		gatherer: gatherer,
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "ssbtek_agency_call_duration_seconds", Help: "Time of one agency call, queue and retries included; callers' cancellations left out.", Buckets: buckets,
		}, []string{"bastjanst"}),
		outcomes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "ssbtek_agency_calls_total", Help: "Agency calls by outcome: status, kalla and felkod (empty when the agency answered); callers' cancellations left out.",
		}, []string{"bastjanst", "status", "kalla", "felkod"}),
		cancelled: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "ssbtek_agency_caller_cancelled_total", Help: "Agency calls ended because the caller went away (felkod 2006): the caller's doing, not the agency's.",
		}, []string{"bastjanst"}),
		inFlight: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "ssbtek_agency_in_flight", Help: "Calls (questions and pings) holding one of the agency's slots.",
		}, []string{"bastjanst"}),
		breaker: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "ssbtek_agency_breaker_state", Help: "Circuit breaker state: 0 closed, 1 half-open, 2 open.",
		}, []string{"bastjanst"}),
		retries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "ssbtek_agency_retries_total", Help: "Retries of agency calls after a failure safe to retry.",
		}, []string{"bastjanst"}),
		rateLimited: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "ssbtek_rate_limited_total", Help: "Questions refused by a rate limit or quota, by interface and limit.",
		}, []string{"interface", "limit"}),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "ssbtek_requests_total", Help: "Requests by interface (grpc, rest, soap), method and result (gRPC code or HTTP status).",
		}, []string{"interface", "method", "result"}),
		reqLatency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "ssbtek_request_duration_seconds", Help: "Time to answer a request, by interface.", Buckets: buckets,
		}, []string{"interface"}),
	}
	for _, c := range []prometheus.Collector{m.latency, m.outcomes, m.cancelled, m.inFlight, m.breaker, m.retries, m.rateLimited, m.requests, m.reqLatency} {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	return m, nil
}

// Handler serves the metrics in the Prometheus text format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.gatherer, promhttp.HandlerOpts{})
}

// Done implements fanout.Observer.
func (m *Metrics) Done(b ssbtekv1.Bastjanst, res *ssbtekv1.BastjanstResultat, took time.Duration) {
	kod := bastjanst.Kod(b)
	f := res.GetFel()
	if f.GetFelkod() == bastjanst.FelkodAvbruten && f.GetKalla() == ssbtekv1.Kalla_KALLA_SSBT {
		m.cancelled.WithLabelValues(kod).Inc()
		return
	}
	if f.GetFelkod() == bastjanst.FelkodHastighet && f.GetKalla() == ssbtekv1.Kalla_KALLA_SSBT {
		// The gateway's own per-agency limit (quota.Limit) refused the
		// call: the agency was not asked. The fan-out is below the
		// interfaces, so the interface label stays empty.
		m.RateLimited("", AgencyLimit(b))
	}
	kalla := ""
	if f != nil {
		kalla = strings.TrimPrefix(f.GetKalla().String(), "KALLA_")
	}
	m.outcomes.WithLabelValues(kod, strings.TrimPrefix(res.GetStatus().GetKod().String(), "STATUS_KOD_"), kalla, f.GetFelkod()).Inc()
	m.latency.WithLabelValues(kod).Observe(took.Seconds())
}

// InFlight implements fanout.Observer.
func (m *Metrics) InFlight(b ssbtekv1.Bastjanst, delta int) {
	m.inFlight.WithLabelValues(bastjanst.Kod(b)).Add(float64(delta))
}

// BreakerState implements fanout.Observer.
func (m *Metrics) BreakerState(b ssbtekv1.Bastjanst, state string) {
	v := map[string]float64{"closed": 0, "half-open": 1, "open": 2}[state]
	m.breaker.WithLabelValues(bastjanst.Kod(b)).Set(v)
}

// Retried implements fanout.Observer.
func (m *Metrics) Retried(b ssbtekv1.Bastjanst) { m.retries.WithLabelValues(bastjanst.Kod(b)).Inc() }

// AgencyLimit is the limit label of b's per-agency rate limit, e.g. "agency:AF".
func AgencyLimit(b ssbtekv1.Bastjanst) string { return "agency:" + bastjanst.Kod(b) }

// RateLimited counts one question refused by the named limit (e.g.
// "organisation", "client", AgencyLimit) on an interface ("" for the
// per-agency limits, which are below the interfaces).
func (m *Metrics) RateLimited(iface, limit string) { m.rateLimited.WithLabelValues(iface, limit).Inc() }

// Request counts one finished request.
func (m *Metrics) Request(iface, method, result string, took time.Duration) {
	m.requests.WithLabelValues(iface, method, result).Inc()
	m.reqLatency.WithLabelValues(iface).Observe(took.Seconds())
}

// UnaryInterceptor counts gRPC requests by method and status code. (REST
// through grpc-gateway runs in process and skips interceptors: HTTP counts it.)
func (m *Metrics) UnaryInterceptor() grpc.UnaryServerInterceptor {
	return func(ctx context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
		start := time.Now()
		resp, err := handler(ctx, req)
		method := info.FullMethod[strings.LastIndexByte(info.FullMethod, '/')+1:]
		m.Request("grpc", method, status.Code(err).String(), time.Since(start))
		return resp, err
	}
}

// HTTP counts the requests of next by interface and HTTP status. iface
// names a request's interface ("rest", "soap") or "" for requests not
// counted (health, metrics, OpenAPI).
func (m *Metrics) HTTP(next http.Handler, iface func(*http.Request) string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := iface(r)
		if name == "" {
			next.ServeHTTP(w, r)
			return
		}
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(sw, r)
		m.Request(name, route(r, sw.status), statusLabel(sw.status), time.Since(start))
	})
}

// statusLabel is code in decimal; the answer nearly every request gets
// without converting it each time.
func statusLabel(code int) string {
	if code == http.StatusOK {
		return "200"
	}
	return strconv.Itoa(code)
}

// route names the method of an HTTP request: its method and the first two
// path segments (REST: "POST /v1/sammanstallning"; SOAP has one path, the
// operation being inside the body). Paths nothing answered are "other", so a
// client sending random paths cannot grow the label set.
func route(r *http.Request, status int) string {
	if status == http.StatusNotFound || status == http.StatusMethodNotAllowed {
		return "other"
	}
	// The first two segments are the path up to its second slash (no
	// split and join per request).
	p := strings.TrimPrefix(r.URL.Path, "/")
	if i := strings.IndexByte(p, '/'); i >= 0 {
		if j := strings.IndexByte(p[i+1:], '/'); j >= 0 {
			p = p[:i+1+j]
		}
	}
	return r.Method + " /" + p
}

type statusWriter struct {
	http.ResponseWriter
	status int
	wrote  bool
}

func (w *statusWriter) WriteHeader(code int) {
	if !w.wrote {
		w.status, w.wrote = code, true
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	w.wrote = true
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the real writer (flush, deadlines).
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
