package server_test

import (
	"context"
	"testing"

	"google.golang.org/grpc/mem"
	"google.golang.org/protobuf/proto"

	"github.com/ssbtek/gateway/adapters/simkit"
	"github.com/ssbtek/gateway/fanout"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
	"github.com/ssbtek/gateway/server"
)

// TestCodecMatchesProto asks the real gateway about every test person over
// gRPC (whose server marshals with the generated vtproto code and whose test
// client decodes with protobuf-go's reflective code, so the call itself
// crosses the two), then encodes each answer both ways and reads each
// encoding with the other implementation: the two must agree on every field
// and on the size. Bytes are not compared: map fields (CSN's studiestödstyper,
// the generic falt) are written in map order by both.
func TestCodecMatchesProto(t *testing.T) {
	g := start(t, fanout.Config{})
	codec := server.NewCodec()
	persons := []string{simkit.Tolvan, simkit.Jobbsokare, simkit.Skyddad, simkit.Nyanland, simkit.Student,
		simkit.Pensionar, simkit.Felperson, simkit.Samordningsnummer}
	for _, pnr := range persons {
		res, err := g.client.HamtaSammanstallning(context.Background(), &ssbtekv1.HamtaSammanstallningRequest{Fraga: fraga(pnr)})
		if err != nil {
			t.Fatalf("%s: %v", pnr, err)
		}
		if len(res.GetSammanstallning().GetResultat()) == 0 {
			t.Fatalf("%s: no results", pnr)
		}
		vt, err := codec.Marshal(res)
		if err != nil {
			t.Fatal(err)
		}
		vtBytes := vt.Materialize()
		vt.Free()
		ref, err := proto.Marshal(res)
		if err != nil {
			t.Fatal(err)
		}
		if len(vtBytes) != len(ref) {
			t.Errorf("%s: vtproto wrote %d bytes, proto %d", pnr, len(vtBytes), len(ref))
		}
		var fromVT ssbtekv1.HamtaSammanstallningResponse
		if err := proto.Unmarshal(vtBytes, &fromVT); err != nil || !proto.Equal(&fromVT, res) {
			t.Errorf("%s: proto reads vtproto's encoding differently (err %v)", pnr, err)
		}
		var fromRef ssbtekv1.HamtaSammanstallningResponse
		if err := codec.Unmarshal(mem.BufferSlice{mem.SliceBuffer(ref)}, &fromRef); err != nil || !proto.Equal(&fromRef, res) {
			t.Errorf("%s: vtproto reads proto's encoding differently (err %v)", pnr, err)
		}
	}
}

// TestCodecRefusesMalformed: a message that is not protobuf is an error from
// the codec, never a panic.
func TestCodecRefusesMalformed(t *testing.T) {
	codec := server.NewCodec()
	for _, b := range [][]byte{{0xff}, {0x0a, 0x7f}, {0x0a, 0x05, 0x0a, 0x10}} {
		var req ssbtekv1.HamtaSammanstallningRequest
		if err := codec.Unmarshal(mem.BufferSlice{mem.SliceBuffer(b)}, &req); err == nil {
			t.Errorf("% x: no error", b)
		}
	}
}
