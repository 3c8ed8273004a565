package server

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"time"

	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/reflection"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/encoding/protojson"

	"github.com/ssbtek/gateway/api"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
	"github.com/ssbtek/gateway/identity"
	"github.com/ssbtek/gateway/lookup"
)

// Options configure the servers.
type Options struct {
	Log *slog.Logger
	// MaxBody bounds REST request bodies; 0 means 1 MiB.
	MaxBody int64
	// Extra handlers mounted on the HTTP port, by path pattern (e.g. the SOAP
	// shim at "/ssbtek").
	Extra map[string]http.Handler
	// Interceptors wrap every unary gRPC call, outermost first (panic
	// recovery, metrics).
	Interceptors []grpc.UnaryServerInterceptor
	// Health is the gRPC health service; nil means one that always serves.
	Health healthpb.HealthServer
	// TLS is the gRPC listener's TLS: it must demand and verify client
	// certificates (identity.ServerTLS). The HTTP listener is handed to
	// ServeHTTP already wrapped in TLS (tls.NewListener).
	TLS *tls.Config
	// DevCaller, in the plaintext development mode only, is the caller of
	// every request, which then has no certificate. Never in production.
	DevCaller *identity.Caller
}

const defaultMaxBody = 1 << 20

// NewGRPC returns a gRPC server with the API, the standard health service and
// reflection.
func NewGRPC(svc *lookup.Service, opts Options) (*grpc.Server, error) {
	v, err := newValidator()
	if err != nil {
		return nil, err
	}
	if opts.TLS == nil && opts.DevCaller == nil {
		return nil, errors.New("gRPC server: no TLS configuration, and not in the plaintext development mode")
	}
	unary, stream := grpcIdentity(opts.DevCaller)
	sopts := []grpc.ServerOption{grpc.MaxRecvMsgSize(int(maxBody(opts))), grpc.ChainUnaryInterceptor(append(slices.Clone(opts.Interceptors), unary)...), grpc.ChainStreamInterceptor(stream)}
	if opts.TLS != nil {
		sopts = append(sopts, grpc.Creds(credentials.NewTLS(opts.TLS)))
	}
	g := grpc.NewServer(sopts...)
	ssbtekv1.RegisterSammansattBastjanstServiceServer(g, &service{lookup: svc, validator: v, iface: "grpc"})
	if opts.Health == nil {
		hs := health.NewServer()
		hs.SetServingStatus("", healthpb.HealthCheckResponse_SERVING)
		hs.SetServingStatus(ssbtekv1.SammansattBastjanstService_ServiceDesc.ServiceName, healthpb.HealthCheckResponse_SERVING)
		opts.Health = hs
	}
	healthpb.RegisterHealthServer(g, opts.Health)
	reflection.Register(g)
	return g, nil
}

// NewHTTP returns the HTTP handler: the REST/JSON API through grpc-gateway,
// /openapi.json, /healthz and any extra handlers.
func NewHTTP(ctx context.Context, svc *lookup.Service, opts Options) (http.Handler, error) {
	v, err := newValidator()
	if err != nil {
		return nil, err
	}
	allow, err := allowedMethods(api.OpenAPI)
	if err != nil {
		return nil, err
	}
	gw := runtime.NewServeMux(
		runtime.WithMarshalerOption(runtime.MIMEWildcard, &runtime.JSONPb{
			MarshalOptions:   protojson.MarshalOptions{EmitUnpopulated: false, UseProtoNames: false},
			UnmarshalOptions: protojson.UnmarshalOptions{DiscardUnknown: false},
		}),
		runtime.WithErrorHandler(restError),
		runtime.WithRoutingErrorHandler(restRoutingError(allow)),
	)
	// In-process registration: no second network hop. gRPC interceptors do not
	// run here, which is why cross-cutting concerns live in lookup, not in
	// interceptors.
	rest := &service{lookup: svc, validator: v, iface: "rest"}
	if err := ssbtekv1.RegisterSammansattBastjanstServiceHandlerServer(ctx, gw, rest); err != nil {
		return nil, fmt.Errorf("registering REST gateway: %w", err)
	}
	if err := registerStream(gw, rest); err != nil {
		return nil, fmt.Errorf("registering REST stream: %w", err)
	}
	return httpIdentity(opts.DevCaller, routes(gw, opts)), nil
}

func maxBody(opts Options) int64 {
	if opts.MaxBody > 0 {
		return opts.MaxBody
	}
	return defaultMaxBody
}

// routes is every HTTP route in one place.
func routes(gw http.Handler, opts Options) http.Handler {
	mux := http.NewServeMux()
	limit := maxBody(opts)
	mux.Handle("/v1/", http.MaxBytesHandler(gw, limit))
	mux.HandleFunc("GET /openapi.json", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(api.OpenAPI)
	})
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprintln(w, "ok")
	})
	for pattern, h := range opts.Extra {
		mux.Handle(pattern, h)
	}
	return mux
}

// toStatus turns a lookup error into a gRPC status with a safe message.
func toStatus(err error) error {
	var r *lookup.Refusal
	if errors.As(err, &r) {
		return refusalStatus(r)
	}
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return status.Error(codes.DeadlineExceeded, "deadline exceeded")
	case errors.Is(err, context.Canceled):
		return status.Error(codes.Canceled, "request cancelled")
	case errors.Is(err, lookup.ErrAuditUnavailable):
		// Fail closed: no record, no answer; the client may retry.
		return status.Error(codes.Unavailable, "audit log unavailable: answer withheld, try again later")
	}
	if _, ok := status.FromError(err); ok {
		return err
	}
	return status.Error(codes.Internal, "internal error")
}

// ServeGRPC serves g on ln until ctx ends, then stops gracefully.
func ServeGRPC(ctx context.Context, ln net.Listener, g *grpc.Server) error {
	errc := make(chan error, 1)
	go func() { errc <- g.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serving gRPC: %w", err)
	case <-ctx.Done():
	}
	stopped := make(chan struct{})
	go func() { g.GracefulStop(); close(stopped) }()
	select {
	case <-stopped:
	case <-time.After(15 * time.Second):
		g.Stop()
	}
	return nil
}

// ServeHTTP serves h on ln until ctx ends, then shuts down gracefully.
//
// log, when not nil, takes net/http's own error lines (failed TLS
// handshakes, malformed requests) as structured warnings instead of bare
// lines on stderr; they name addresses and causes, never request contents.
func ServeHTTP(ctx context.Context, ln net.Listener, h http.Handler, log ...*slog.Logger) error {
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       120 * time.Second,
	}
	if len(log) > 0 && log[0] != nil {
		srv.ErrorLog = slog.NewLogLogger(log[0].Handler(), slog.LevelWarn)
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serving HTTP: %w", err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutting down HTTP: %w", err)
	}
	return nil
}
