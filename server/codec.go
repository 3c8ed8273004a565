package server

import (
	"fmt"

	"google.golang.org/grpc/encoding"
	protoenc "google.golang.org/grpc/encoding/proto"
	"google.golang.org/grpc/mem"
)

// vtMessage is what protoc-gen-go-vtproto generates for every message of
// ours (gen/ssbtek/v1/*_vtproto.pb.go): marshalling without reflection.
type vtMessage interface {
	SizeVT() int
	MarshalToSizedBufferVT(dAtA []byte) (int, error)
	UnmarshalVT(dAtA []byte) error
}

// Codec is the gRPC server's codec: our own messages
// go through their generated vtproto code, which the CPU profile of a gRPC
// answer showed cheaper than proto's reflective Marshal; any other message
// (health, reflection) through grpc-go's own proto codec. Both write the same
// wire format: TestCodecMatchesProto compares the bytes for every test person.
// NewGRPC passes it with grpc.ForceServerCodecV2; it is never registered
// globally, so clients in the same process (tests, the CLI) keep grpc-go's
// own codec, and a call crosses the two implementations.
type Codec struct{ fallback encoding.CodecV2 }

// NewCodec returns the codec.
func NewCodec() Codec { return Codec{fallback: encoding.GetCodecV2(protoenc.Name)} }

// Name is "proto": the content-subtype on the wire does not change.
func (Codec) Name() string { return protoenc.Name }

// Marshal writes v, into a pooled buffer when it is large (as grpc-go's own
// codec does), so a 75 KB answer does not allocate its bytes anew each time.
func (c Codec) Marshal(v any) (mem.BufferSlice, error) {
	m, ok := v.(vtMessage)
	if !ok {
		return c.fallback.Marshal(v)
	}
	size := m.SizeVT()
	if mem.IsBelowBufferPoolingThreshold(size) {
		buf := make([]byte, size)
		if _, err := m.MarshalToSizedBufferVT(buf); err != nil {
			return nil, fmt.Errorf("marshalling %T: %w", v, err)
		}
		return mem.BufferSlice{mem.SliceBuffer(buf)}, nil
	}
	pool := mem.DefaultBufferPool()
	buf := pool.Get(size)
	if _, err := m.MarshalToSizedBufferVT((*buf)[:size]); err != nil {
		pool.Put(buf)
		return nil, fmt.Errorf("marshalling %T: %w", v, err)
	}
	return mem.BufferSlice{mem.NewBuffer(buf, pool)}, nil
}

// Unmarshal reads data into v. The generated code copies bytes fields out of
// the buffer, so the buffer can go back to the pool at once.
func (c Codec) Unmarshal(data mem.BufferSlice, v any) error {
	m, ok := v.(vtMessage)
	if !ok {
		return c.fallback.Unmarshal(data, v)
	}
	buf := data.MaterializeToBuffer(mem.DefaultBufferPool())
	defer buf.Free()
	if err := m.UnmarshalVT(buf.ReadOnlyData()); err != nil {
		return fmt.Errorf("unmarshalling %T: %w", v, err)
	}
	return nil
}
