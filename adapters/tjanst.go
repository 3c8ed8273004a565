package adapters

import (
	"context"

	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	"google.golang.org/grpc"

	"github.com/ssbtek/gateway/bastjanst"
)

// Tjanst is a source's own call on the modern API: a gRPC service of the
// proto, implemented in the source's package on top of a bastjanst.Fragare
// (the lookup service, as the server offers it), and served over gRPC and
// over REST (grpc-gateway). The server registers every Tjanst the registry's
// sources have, so a source with a question of its own still needs only its
// folder, the proto and its registry line.
type Tjanst struct {
	// Name is the gRPC service's full name, e.g. "ssbtek.v1.FolkbokforingService".
	Name         string
	register     func(grpc.ServiceRegistrar, bastjanst.Fragare)
	registerREST func(context.Context, *runtime.ServeMux, bastjanst.Fragare) error
}

// NewTjanst describes a source's own gRPC service from what protoc generates
// for it: desc (…_ServiceDesc), the implementation asking through a Fragare,
// and the in-process REST registration (Register…HandlerServer).
func NewTjanst[S any](desc *grpc.ServiceDesc, impl func(bastjanst.Fragare) S, rest func(context.Context, *runtime.ServeMux, S) error) Tjanst {
	return Tjanst{
		Name:     desc.ServiceName,
		register: func(g grpc.ServiceRegistrar, f bastjanst.Fragare) { g.RegisterService(desc, impl(f)) },
		registerREST: func(ctx context.Context, mux *runtime.ServeMux, f bastjanst.Fragare) error {
			return rest(ctx, mux, impl(f))
		},
	}
}

// Register serves the call on g, asking through f.
func (t Tjanst) Register(g grpc.ServiceRegistrar, f bastjanst.Fragare) { t.register(g, f) }

// RegisterREST serves the call's REST routes on mux, asking through f.
func (t Tjanst) RegisterREST(ctx context.Context, mux *runtime.ServeMux, f bastjanst.Fragare) error {
	return t.registerREST(ctx, mux, f)
}

// Tjanster is every own call of agencies.
func Tjanster(agencies []Agency) []Tjanst {
	var out []Tjanst
	for _, a := range agencies {
		out = append(out, a.Tjanster...)
	}
	return out
}
