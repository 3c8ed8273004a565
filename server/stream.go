package server

import (
	"cmp"
	"context"
	"errors"
	"io"
	"net/http"

	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"

	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
)

func (s *service) HamtaInkomstsammanstallning(ctx context.Context, req *ssbtekv1.HamtaSammanstallningRequest) (*ssbtekv1.HamtaInkomstsammanstallningResponse, error) {
	if err := s.check(ctx, req, req.GetFraga()); err != nil {
		return nil, err
	}
	sam, err := s.lookup.Inkomstsammanstallning(ctx, s.checked(req.GetFraga()))
	if err != nil {
		return nil, toStatus(err)
	}
	return &ssbtekv1.HamtaInkomstsammanstallningResponse{
		Inkomstsammanstallning: sam.GetInkomstsammanstallning(),
		Korrelationsid:         sam.GetKorrelationsid(),
		Besvarad:               sam.GetBesvarad(),
		Status:                 sam.GetStatus(),
	}, nil
}

func (s *service) StreamaSammanstallning(req *ssbtekv1.HamtaSammanstallningRequest, stream grpc.ServerStreamingServer[ssbtekv1.StreamaSammanstallningResponse]) error {
	if err := s.check(stream.Context(), req, req.GetFraga()); err != nil {
		return err
	}
	sam, err := s.lookup.Streama(stream.Context(), s.checked(req.GetFraga()), func(r *ssbtekv1.BastjanstResultat) error {
		return stream.Send(&ssbtekv1.StreamaSammanstallningResponse{Svar: &ssbtekv1.StreamaSammanstallningResponse_Resultat{Resultat: resultatInView(r, req.GetVy())}})
	})
	if err != nil {
		return toStatus(err)
	}
	return stream.Send(&ssbtekv1.StreamaSammanstallningResponse{Svar: &ssbtekv1.StreamaSammanstallningResponse_Sammanstallning{Sammanstallning: streamEnd(sam, req.GetVy())}})
}

const (
	streamPath   = "/v1/sammanstallning:stream"
	streamMethod = "/ssbtek.v1.SammansattBastjanstService/StreamaSammanstallning"
)

// registerStream serves StreamaSammanstallning over REST as grpc-gateway's
// newline-delimited JSON. grpc-gateway's in-process registration cannot
// stream (its handler answers Unimplemented), so this replaces that one
// route (the mux tries later registrations first) with the same steps its
// client-side handler takes (decode, call, runtime.ForwardResponseStream),
// calling the service in process through a channel instead of a
// connection. Errors before the first message get the ordinary REST error
// body and status (400, 403, 429, 503), as on every other route.
func registerStream(gw *runtime.ServeMux, svc *service) error {
	return gw.HandlePath(http.MethodPost, streamPath, func(w http.ResponseWriter, r *http.Request, _ map[string]string) {
		inbound, outbound := runtime.MarshalerForRequest(gw, r)
		ctx, err := runtime.AnnotateIncomingContext(r.Context(), gw, r, streamMethod, runtime.WithHTTPPathPattern(streamPath))
		if err != nil {
			runtime.HTTPError(r.Context(), gw, outbound, w, r, err)
			return
		}
		var req ssbtekv1.HamtaSammanstallningRequest
		if err := inbound.NewDecoder(r.Body).Decode(&req); err != nil && !errors.Is(err, io.EOF) {
			runtime.HTTPError(ctx, gw, outbound, w, r, status.Errorf(codes.InvalidArgument, "%v", err))
			return
		}
		// ForwardResponseStream sends the call's header metadata first; an
		// in-process call has none.
		ctx = runtime.NewServerMetadataContext(ctx, runtime.ServerMetadata{})
		ctx, cancel := context.WithCancel(ctx)
		defer cancel()
		ls := &localStream{ctx: ctx, items: make(chan streamItem)}
		go func() {
			err := svc.StreamaSammanstallning(&req, ls)
			select {
			case ls.items <- streamItem{err: cmp.Or(err, io.EOF)}:
			case <-ctx.Done():
			}
		}()
		first, err := ls.recv()
		if err != nil {
			// The service always ends with a final message, so io.EOF here
			// would be a bug; it is still better reported than hung on.
			runtime.HTTPError(ctx, gw, outbound, w, r, err)
			return
		}
		runtime.ForwardResponseStream(ctx, gw, outbound, w, r, func() (proto.Message, error) {
			if first != nil {
				m := first
				first = nil
				return m, nil
			}
			return ls.recv()
		}, gw.GetForwardResponseOptions()...)
	})
}

type streamItem struct {
	msg *ssbtekv1.StreamaSammanstallningResponse
	err error
}

// localStream is the server side of an in-process stream: what the service
// sends, the REST handler receives. Only what a server-streaming handler
// uses is implemented; headers and trailers have nowhere to go over NDJSON.
type localStream struct {
	grpc.ServerStream
	ctx   context.Context
	items chan streamItem
}

func (l *localStream) Context() context.Context     { return l.ctx }
func (l *localStream) SetHeader(metadata.MD) error  { return nil }
func (l *localStream) SendHeader(metadata.MD) error { return nil }
func (l *localStream) SetTrailer(metadata.MD)       {}
func (l *localStream) SendMsg(m any) error {
	msg, ok := m.(*ssbtekv1.StreamaSammanstallningResponse)
	if !ok {
		return status.Errorf(codes.Internal, "stream message of type %T", m)
	}
	return l.Send(msg)
}

func (l *localStream) RecvMsg(any) error { return io.EOF }

func (l *localStream) Send(m *ssbtekv1.StreamaSammanstallningResponse) error {
	select {
	case l.items <- streamItem{msg: m}:
		return nil
	case <-l.ctx.Done():
		return l.ctx.Err()
	}
}

// recv returns the next message, io.EOF after the last, or the error that
// ended the stream.
func (l *localStream) recv() (proto.Message, error) {
	select {
	case it := <-l.items:
		if it.err != nil {
			return nil, it.err
		}
		return it.msg, nil
	case <-l.ctx.Done():
		return nil, l.ctx.Err()
	}
}
