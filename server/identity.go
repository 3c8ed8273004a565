package server

import (
	"context"
	"net/http"
	"strings"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/peer"
	"google.golang.org/grpc/status"

	"github.com/ssbtek/gateway/identity"
)

// grpcIdentity puts the caller of the call's TLS connection (or the fixed
// development caller) into its context. Calls without a caller are refused
// UNAUTHENTICATED, except health checks: reflection included, nothing of the
// API is shown to whoever merely reaches the port.
func grpcIdentity(dev *identity.Caller) (grpc.UnaryServerInterceptor, grpc.StreamServerInterceptor) {
	establish := func(ctx context.Context, method string) (context.Context, error) {
		if dev != nil {
			return identity.NewContext(ctx, *dev), nil
		}
		var err error = identity.ErrNoCertificate
		var c identity.Caller
		if p, ok := peer.FromContext(ctx); ok {
			if ti, ok := p.AuthInfo.(credentials.TLSInfo); ok {
				c, err = identity.FromTLS(&ti.State)
			}
		}
		if err != nil {
			if strings.HasPrefix(method, "/"+healthpb.Health_ServiceDesc.ServiceName+"/") {
				return identity.WithError(ctx, err), nil
			}
			return nil, status.Error(codes.Unauthenticated, "unauthenticated: "+err.Error())
		}
		return identity.NewContext(ctx, c), nil
	}
	unary := func(ctx context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
		ctx, err := establish(ctx, info.FullMethod)
		if err != nil {
			return nil, err
		}
		return handler(ctx, req)
	}
	stream := func(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, handler grpc.StreamHandler) error {
		ctx, err := establish(ss.Context(), info.FullMethod)
		if err != nil {
			return err
		}
		return handler(srv, &identityStream{ServerStream: ss, ctx: ctx})
	}
	return unary, stream
}

type identityStream struct {
	grpc.ServerStream
	ctx context.Context
}

func (s *identityStream) Context() context.Context { return s.ctx }

// httpIdentity puts every request's caller into its context and refuses a
// GET without one: what is read (the OpenAPI document, the
// WSDL and XSDs, the ping) is for connected organisations only. Questions
// (POST) reach their interface, which answers a refusal in its own contract
// (a REST status, a SOAP fault).
func httpIdentity(dev *identity.Caller, next http.Handler) http.Handler {
	guarded := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			identity.Require(next).ServeHTTP(w, r)
			return
		}
		next.ServeHTTP(w, r)
	})
	if dev != nil {
		return identity.Fixed(*dev, guarded)
	}
	return identity.Middleware(guarded)
}
