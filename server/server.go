package server

import (
	"cmp"
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
	"google.golang.org/grpc/keepalive"
	"google.golang.org/grpc/reflection"
	"google.golang.org/grpc/status"
	"google.golang.org/grpc/tap"
	"google.golang.org/protobuf/encoding/protojson"

	"github.com/ssbtek/gateway/adapters"
	"github.com/ssbtek/gateway/api"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
	"github.com/ssbtek/gateway/guard"
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
	// RequestTimeout bounds a gRPC call from its headers to its end, the
	// time to send the request message included, whatever deadline the
	// caller sets or leaves out; 0 means DefaultRequestTimeout.
	RequestTimeout time.Duration
	// HandshakeTimeout bounds the TLS handshake of a new gRPC connection
	// (grpc-go's default is 120 s, long enough for silent connections to
	// hold every connection slot); 0 means DefaultHTTPTimeouts.ReadHeader,
	// which bounds the HTTP listener's handshake.
	HandshakeTimeout time.Duration
	// Tjanster are the sources' own calls (adapters.Tjanster of the
	// registry), served beside the compiled question on both servers.
	Tjanster []adapters.Tjanst
	// MaxConnectionIdle closes a gRPC connection without calls for that
	// long, MaxConnectionAge any gRPC connection that old (after its calls
	// have had DefaultRequestTimeout to end); 0 means
	// DefaultMaxConnectionIdle, DefaultMaxConnectionAge.
	MaxConnectionIdle, MaxConnectionAge time.Duration
}

// The gRPC connection bounds' defaults: an idle connection holds a slot of
// its organisation's -max-conns-per-org for two minutes at most (HTTP's
// idle timeout is the same), and every connection is made again within
// half an hour, so a caller cannot keep one for ever.
const (
	DefaultMaxConnectionIdle = 2 * time.Minute
	DefaultMaxConnectionAge  = 30 * time.Minute
)

// keepaliveOptions are the gRPC connection bounds: idle and old connections
// closed (with GOAWAY, so a client reconnects), dead peers found by a ping
// after a minute of silence, and a client that pings more often than every
// 30 s told to stop (ENHANCE_YOUR_CALM) instead of keeping the server busy.
func keepaliveOptions(opts Options) []grpc.ServerOption {
	return []grpc.ServerOption{
		grpc.KeepaliveParams(keepalive.ServerParameters{
			MaxConnectionIdle:     cmp.Or(opts.MaxConnectionIdle, DefaultMaxConnectionIdle),
			MaxConnectionAge:      cmp.Or(opts.MaxConnectionAge, DefaultMaxConnectionAge),
			MaxConnectionAgeGrace: cmp.Or(opts.RequestTimeout, DefaultRequestTimeout),
			Time:                  time.Minute,
			Timeout:               20 * time.Second,
		}),
		grpc.KeepaliveEnforcementPolicy(keepalive.EnforcementPolicy{MinTime: 30 * time.Second, PermitWithoutStream: true}),
	}
}

const defaultMaxBody = 1 << 20

// DefaultRequestTimeout is well above the 10 s a lookup may take at most:
// it only ends calls whose caller sends its request too slowly or never.
const DefaultRequestTimeout = 30 * time.Second

// MaxHeaderBytes bounds a request's headers on every listener (HTTP
// headers, gRPC metadata): ours are a few hundred bytes, and grpc-go's
// 16 MiB default would let each stream hold that much.
const MaxHeaderBytes = 64 << 10

// maxStreams bounds the calls open at once on one gRPC connection (grpc-go
// allows 2^32): with -max-conns-per-org it bounds the streams a caller can hold.
const maxStreams = 1024

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
	sopts := []grpc.ServerOption{
		grpc.MaxRecvMsgSize(int(maxBody(opts))), grpc.MaxHeaderListSize(MaxHeaderBytes), grpc.InTapHandle(requestDeadline(opts.RequestTimeout)),
		grpc.ConnectionTimeout(cmp.Or(opts.HandshakeTimeout, DefaultHTTPTimeouts.ReadHeader)), grpc.MaxConcurrentStreams(maxStreams),
		grpc.ChainUnaryInterceptor(append(slices.Clone(opts.Interceptors), unary)...), grpc.ChainStreamInterceptor(stream),
		grpc.ForceServerCodecV2(NewCodec()),
	}
	sopts = append(sopts, keepaliveOptions(opts)...)
	if opts.TLS != nil {
		sopts = append(sopts, grpc.Creds(credentials.NewTLS(opts.TLS)))
	}
	g := grpc.NewServer(sopts...)
	grpcSvc := &service{lookup: svc, validator: v, iface: "grpc"}
	ssbtekv1.RegisterSammansattBastjanstServiceServer(g, grpcSvc)
	for _, t := range opts.Tjanster {
		t.Register(g, grpcSvc)
	}
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
// /openapi.json and any extra handlers. Health, readiness and metrics are
// the operations listener's (cmd/ssbtekd), not a client-certificate route.
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
		runtime.WithMarshalerOption(runtime.MIMEWildcard, &restMarshaler{runtime.JSONPb{
			MarshalOptions:   protojson.MarshalOptions{EmitUnpopulated: false, UseProtoNames: false},
			UnmarshalOptions: protojson.UnmarshalOptions{DiscardUnknown: false},
		}}),
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
	for _, t := range opts.Tjanster {
		if err := t.RegisterREST(ctx, gw, rest); err != nil {
			return nil, fmt.Errorf("registering REST gateway of %s: %w", t.Name, err)
		}
	}
	if err := registerStream(gw, rest); err != nil {
		return nil, fmt.Errorf("registering REST stream: %w", err)
	}
	return httpIdentity(opts.DevCaller, routes(gw, opts)), nil
}

// requestDeadline gives every gRPC stream but a health Watch a deadline as
// it opens. grpc-go
// reads a unary request message before any interceptor runs and has no
// server-side read timeout: without it, a caller that sends its headers and
// then its message slowly, or never, holds a stream and a goroutine until
// the connection dies.
func requestDeadline(d time.Duration) tap.ServerInHandle {
	if d <= 0 {
		d = DefaultRequestTimeout
	}
	return func(ctx context.Context, info *tap.Info) (context.Context, error) {
		// A health Watch is meant to stay open for as long as the client
		// watches; its request is one tiny message.
		if info.FullMethodName == healthpb.Health_Watch_FullMethodName {
			return ctx, nil
		}
		ctx, cancel := context.WithTimeout(ctx, d)
		// The stream cancels its context when it ends; that releases the
		// timer here too.
		context.AfterFunc(ctx, cancel)
		return ctx, nil
	}
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
	mux.Handle("/v1/", http.MaxBytesHandler(withHints(gw), limit))
	mux.HandleFunc("GET /openapi.json", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(api.OpenAPI)
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

// untilDone runs serve until it returns (ended, with its error) or until
// ctx ends (not ended): the caller then stops the server its own way.
func untilDone(ctx context.Context, serve func() error) (ended bool, err error) {
	errc := make(chan error, 1)
	go func() { errc <- serve() }()
	select {
	case err := <-errc:
		return true, err
	case <-ctx.Done():
		return false, nil
	}
}

// ServeGRPC serves g on ln until ctx ends, then stops gracefully.
func ServeGRPC(ctx context.Context, ln net.Listener, g *grpc.Server) error {
	if ended, err := untilDone(ctx, func() error { return g.Serve(ln) }); ended {
		return fmt.Errorf("serving gRPC: %w", err)
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

// HTTPTimeouts bound a caller on the HTTP listener: the TLS handshake and
// headers (ReadHeader), the whole request with its body (Read), the answer
// (Write) and a kept-alive idle connection (Idle); and the body's pace: after
// BodyGrace it must arrive at MinBodyRate bytes a second at least (0: only
// Read bounds it), so that a body of one byte a second is ended within
// seconds instead of holding its connection for Read.
type HTTPTimeouts struct {
	ReadHeader, Read, Write, Idle time.Duration
	MinBodyRate                   int64
	BodyGrace                     time.Duration
}

// DefaultHTTPTimeouts are ServeHTTP's.
var DefaultHTTPTimeouts = HTTPTimeouts{ReadHeader: 5 * time.Second, Read: 30 * time.Second, Write: 30 * time.Second, Idle: 120 * time.Second,
	MinBodyRate: 1024, BodyGrace: 5 * time.Second}

// ServeHTTP serves h on ln until ctx ends, then shuts down gracefully.
//
// log, when not nil, takes net/http's own error lines (failed TLS
// handshakes, malformed requests) as structured warnings instead of bare
// lines on stderr; they name addresses and causes, never request contents.
func ServeHTTP(ctx context.Context, ln net.Listener, h http.Handler, log ...*slog.Logger) error {
	return ServeHTTPTimeouts(ctx, ln, h, DefaultHTTPTimeouts, log...)
}

// ServeHTTPTimeouts is ServeHTTP with other timeouts (tests).
func ServeHTTPTimeouts(ctx context.Context, ln net.Listener, h http.Handler, t HTTPTimeouts, log ...*slog.Logger) error {
	srv := &http.Server{
		Handler:           guard.MinBodyRate(h, guard.BodyRate{BytesPerSecond: t.MinBodyRate, Grace: t.BodyGrace, Most: t.Read}),
		ReadHeaderTimeout: t.ReadHeader,
		ReadTimeout:       t.Read,
		WriteTimeout:      t.Write,
		IdleTimeout:       t.Idle,
		MaxHeaderBytes:    MaxHeaderBytes,
	}
	if len(log) > 0 && log[0] != nil {
		srv.ErrorLog = slog.NewLogLogger(log[0].Handler(), slog.LevelWarn)
	}
	if ended, err := untilDone(ctx, func() error { return srv.Serve(ln) }); ended {
		return fmt.Errorf("serving HTTP: %w", err)
	}
	sctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutting down HTTP: %w", err)
	}
	return nil
}
