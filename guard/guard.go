// Package guard keeps one bad request or one greedy client from taking the
// gateway down: a panic in a handler becomes an error answer and a log line
// without personal data, and each listener takes a bounded number of
// connections.
package guard

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"runtime"
	"strings"

	"golang.org/x/net/netutil"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"github.com/ssbtek/gateway/redact"
)

// maxPanicText bounds the panic value in a log line.
const maxPanicText = 200

// RecoverUnary turns a panic in a gRPC handler into codes.Internal.
func RecoverUnary(log *slog.Logger) grpc.UnaryServerInterceptor {
	return func(ctx context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (resp any, err error) {
		defer func() {
			if v := recover(); v != nil {
				logPanic(ctx, log, "grpc", info.FullMethod, v)
				resp, err = nil, status.Error(codes.Internal, "internal error")
			}
		}()
		return handler(ctx, req)
	}
}

// RecoverHTTP turns a panic in next into a 500 (when nothing was written
// yet). http.ErrAbortHandler passes through: it is net/http's own way to
// abort a response.
func RecoverHTTP(next http.Handler, log *slog.Logger) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			v := recover()
			if v == nil {
				return
			}
			if err, ok := v.(error); ok && errors.Is(err, http.ErrAbortHandler) {
				panic(v)
			}
			logPanic(r.Context(), log, "http", r.Method+" "+r.URL.Path, v)
			http.Error(w, "internal error", http.StatusInternalServerError)
		}()
		next.ServeHTTP(w, r)
	})
}

// logPanic logs where a panic happened. Not debug.Stack: its frames carry
// argument words, which may be a personnummer held as an integer. Only
// function names and lines, and the panic value scrubbed and cut short.
func logPanic(ctx context.Context, log *slog.Logger, iface, method string, v any) {
	pcs := make([]uintptr, 32)
	n := runtime.Callers(3, pcs)
	frames := runtime.CallersFrames(pcs[:n])
	var where []string
	for {
		f, more := frames.Next()
		if !strings.HasPrefix(f.Function, "runtime.") {
			where = append(where, fmt.Sprintf("%s:%d", f.Function, f.Line))
		}
		if !more || len(where) == 8 {
			break
		}
	}
	text := redact.Identifiers(fmt.Sprint(v))
	if len(text) > maxPanicText {
		text = text[:maxPanicText] + "…"
	}
	log.ErrorContext(ctx, "panic in handler",
		slog.String("interface", iface),
		slog.String("method", redact.Identifiers(method)),
		slog.String("panic_type", fmt.Sprintf("%T", v)),
		slog.String("panic", text),
		slog.Any("stack", where),
	)
}

// LimitListener accepts at most n connections on ln at once; the rest wait
// in the kernel's backlog. n <= 0 means no limit.
func LimitListener(ln net.Listener, n int) net.Listener {
	if n <= 0 {
		return ln
	}
	return netutil.LimitListener(ln, n)
}
