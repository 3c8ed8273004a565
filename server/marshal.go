package server

import (
	"slices"
	"sync"

	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	"google.golang.org/protobuf/proto"
)

// restMarshaler is runtime.JSONPb with a cheaper Marshal for messages: the
// same protojson options, so the same bytes. JSONPb.Marshal lets protojson
// grow its output from nothing by doubling (for a 75 KB answer about 20
// allocations and twice its size in garbage) and then copies the result
// into a bytes.Buffer; here protojson appends into a pooled buffer that
// already has room, and the caller gets one exact-size copy, since
// grpc-gateway keeps the slice for as long as it likes.
type restMarshaler struct {
	runtime.JSONPb
}

// marshalBuffers holds output buffers between answers. A pointer to a
// slice, so that Put does not allocate.
var marshalBuffers = sync.Pool{New: func() any { return new([]byte) }}

// maxPooledBuffer bounds the buffers kept: a rare huge answer is not held
// on to for every later one.
const maxPooledBuffer = 1 << 20

// Marshal implements runtime.Marshaler.
func (m *restMarshaler) Marshal(v any) ([]byte, error) {
	p, ok := v.(proto.Message)
	if !ok {
		// Non-message values (response_body fields) keep JSONPb's path.
		return m.JSONPb.Marshal(v)
	}
	buf := marshalBuffers.Get().(*[]byte)
	b, err := m.MarshalOptions.MarshalAppend((*buf)[:0], p)
	var out []byte
	if err == nil {
		out = slices.Clone(b)
	}
	if cap(b) <= maxPooledBuffer {
		*buf = b[:0]
		marshalBuffers.Put(buf)
	}
	return out, err
}

// StreamContentType implements runtime.StreamContentType: the REST stream
// is newline-delimited JSON, one object per line, and says so, as the
// OpenAPI document does.
func (m *restMarshaler) StreamContentType(any) string { return "application/x-ndjson" }
