// Package health answers whether the gateway is alive and whether it is
// ready for questions, over HTTP (/healthz, /readyz) and over the standard
// gRPC health service, both from one Checker; and it orders a graceful
// shutdown so that readiness turns false before the listeners stop.
package health

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sort"
	"sync"
	"time"

	grpchealth "google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
)

// Checker is the gateway's health. The zero value is not usable; use New.
type Checker struct {
	mu        sync.Mutex
	expected  map[string]bool // listener name -> up
	checks    []check
	shutting  bool
	grpc      *grpchealth.Server
	services  []string
	checkTime time.Duration
}

type check struct {
	name string
	fn   func(context.Context) error
}

// New returns a Checker that is ready once every named listener is Up.
// services are the gRPC service names whose health the gRPC health service
// reports (besides "", the server as a whole).
func New(listeners []string, services ...string) *Checker {
	c := &Checker{expected: map[string]bool{}, grpc: grpchealth.NewServer(), services: append([]string{""}, services...), checkTime: 2 * time.Second}
	for _, l := range listeners {
		c.expected[l] = false
	}
	c.publish(errors.New("starting"))
	return c
}

// AddCheck adds a readiness check, e.g. that the audit store takes writes.
// fn gets a context bounded to a couple of seconds; its error text is shown
// on /readyz and must hold no personal data.
func (c *Checker) AddCheck(name string, fn func(context.Context) error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.checks = append(c.checks, check{name, fn})
}

// Up records that the named listener accepts connections.
func (c *Checker) Up(listener string) {
	c.mu.Lock()
	c.expected[listener] = true
	c.mu.Unlock()
	c.publish(c.Ready(context.Background()))
}

// ShuttingDown turns readiness false for good: the first step of a
// graceful shutdown, so load balancers stop sending before we stop taking.
func (c *Checker) ShuttingDown() {
	c.mu.Lock()
	c.shutting = true
	c.mu.Unlock()
	// Shutdown makes the gRPC health service answer NOT_SERVING and ignore
	// later updates.
	c.grpc.Shutdown()
}

// Ready reports why the gateway is not ready, or nil.
func (c *Checker) Ready(ctx context.Context) error {
	c.mu.Lock()
	shutting := c.shutting
	var down []string
	for l, up := range c.expected {
		if !up {
			down = append(down, l)
		}
	}
	checks := append([]check(nil), c.checks...)
	c.mu.Unlock()

	if shutting {
		return errors.New("shutting down")
	}
	var errs []error
	if len(down) > 0 {
		sort.Strings(down)
		errs = append(errs, fmt.Errorf("listeners not up: %v", down))
	}
	ctx, cancel := context.WithTimeout(ctx, c.checkTime)
	defer cancel()
	for _, ch := range checks {
		if err := ch.fn(ctx); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", ch.name, err))
		}
	}
	return errors.Join(errs...)
}

// publish sets the gRPC health service to what ready says.
func (c *Checker) publish(notReady error) {
	st := healthpb.HealthCheckResponse_SERVING
	if notReady != nil {
		st = healthpb.HealthCheckResponse_NOT_SERVING
	}
	for _, s := range c.services {
		c.grpc.SetServingStatus(s, st)
	}
}

// Watch re-evaluates readiness every interval until ctx ends, so that gRPC
// Watch streams follow the checks (Check always evaluates afresh).
func (c *Checker) Watch(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			c.publish(c.Ready(ctx))
		}
	}
}

// Live serves /healthz: 200 while the process serves HTTP at all.
func (c *Checker) Live() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprintln(w, "ok")
	})
}

// ReadyHandler serves /readyz: 200 "ready", or 503 with the reasons.
func (c *Checker) ReadyHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		if err := c.Ready(r.Context()); err != nil {
			w.WriteHeader(http.StatusServiceUnavailable)
			fmt.Fprintf(w, "not ready: %v\n", err)
			return
		}
		fmt.Fprintln(w, "ready")
	})
}

// GRPC is the standard gRPC health service reflecting the same readiness.
func (c *Checker) GRPC() healthpb.HealthServer { return &grpcHealth{Server: c.grpc, c: c} }

type grpcHealth struct {
	*grpchealth.Server
	c *Checker
}

// Check evaluates readiness now, rather than trusting the last poll.
func (g *grpcHealth) Check(ctx context.Context, req *healthpb.HealthCheckRequest) (*healthpb.HealthCheckResponse, error) {
	if _, err := g.Server.Check(ctx, req); err != nil {
		return nil, err // an unknown service: NotFound
	}
	st := healthpb.HealthCheckResponse_SERVING
	if g.c.Ready(ctx) != nil {
		st = healthpb.HealthCheckResponse_NOT_SERVING
	}
	return &healthpb.HealthCheckResponse{Status: st}, nil
}

// Drain orders a graceful shutdown. It returns a context for the servers
// that ends delay after parent ends; when parent ends, readiness turns false
// at once, so that during delay load balancers stop sending while the
// servers still take what is on its way. When the returned context ends, the
// servers stop accepting and finish the requests in flight (grpc
// GracefulStop, http.Server.Shutdown), lookups and their audit records
// included; then the process exits.
func (c *Checker) Drain(parent context.Context, delay time.Duration) context.Context {
	ctx, cancel := context.WithCancel(context.WithoutCancel(parent))
	go func() {
		<-parent.Done()
		c.ShuttingDown()
		t := time.NewTimer(delay)
		defer t.Stop()
		select {
		case <-t.C:
		case <-ctx.Done():
		}
		cancel()
	}()
	return ctx
}
