package server

import (
	"testing"

	"google.golang.org/grpc/encoding"
	protoenc "google.golang.org/grpc/encoding/proto"

	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
	"google.golang.org/grpc/mem"
)

// BenchmarkGRPCCodec is a gRPC answer's marshalling and the reading of it
// back, grpc-go's reflective proto codec against the generated one the server
// uses: the ratio of the two is the figure, measured in one run.
func BenchmarkGRPCCodec(b *testing.B) {
	answer := bigAnswer()
	for _, c := range []struct {
		name  string
		codec encoding.CodecV2
	}{{"proto", encoding.GetCodecV2(protoenc.Name)}, {"vtproto", NewCodec()}} {
		b.Run(c.name+"/marshal", func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				out, err := c.codec.Marshal(answer)
				if err != nil {
					b.Fatal(err)
				}
				b.SetBytes(int64(out.Len()))
				out.Free()
			}
		})
		wire, err := c.codec.Marshal(answer)
		if err != nil {
			b.Fatal(err)
		}
		data := wire.Materialize()
		wire.Free()
		b.Run(c.name+"/unmarshal", func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				v := new(ssbtekv1.HamtaSammanstallningResponse)
				if err := c.codec.Unmarshal(mem.BufferSlice{mem.SliceBuffer(data)}, v); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
