package server

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/grpc-ecosystem/grpc-gateway/v2/runtime"
	"google.golang.org/genproto/googleapis/rpc/errdetails"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/types/known/durationpb"
	"google.golang.org/protobuf/types/known/timestamppb"

	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
)

// servedMarshalers are the REST marshaler as NewHTTP configures it and the
// grpc-gateway JSONPb with the same options that it replaced.
func servedMarshalers() (*restMarshaler, *runtime.JSONPb) {
	jp := runtime.JSONPb{
		MarshalOptions:   protojson.MarshalOptions{EmitUnpopulated: false, UseProtoNames: false},
		UnmarshalOptions: protojson.UnmarshalOptions{DiscardUnknown: false},
	}
	return &restMarshaler{jp}, &jp
}

// bigAnswer is an answer of the size a full Tolvan answer has (about 75 KB
// of JSON): seven results with their raw answers, and typed payments.
func bigAnswer() *ssbtekv1.HamtaSammanstallningResponse {
	raw := []byte(strings.Repeat(`<ns:Utbetalning><ns:Datum>2025-01-25</ns:Datum><ns:Belopp>1234500</ns:Belopp></ns:Utbetalning>`, 60))
	var res []*ssbtekv1.BastjanstResultat
	for b := ssbtekv1.Bastjanst_BASTJANST_AF; b <= ssbtekv1.Bastjanst_BASTJANST_MIV; b++ {
		res = append(res, &ssbtekv1.BastjanstResultat{
			Bastjanst: b,
			Status:    &ssbtekv1.Status{Kod: ssbtekv1.StatusKod_STATUS_KOD_OK, Meddelande: "OK"},
			Radata: &ssbtekv1.Radata{Innehall: raw, MediaType: "text/xml", Charset: "utf-8",
				Inbaddning: &ssbtekv1.Inbaddning{Form: ssbtekv1.Inbaddning_FORM_XML, Start: 10, Slut: uint32(len(raw) - 10),
					Namnrymder: []*ssbtekv1.Namnrymd{{Prefix: "ns", Uri: "http://example.se/ns"}}}},
			Latens: durationpb.New(42 * time.Millisecond),
		})
	}
	var formaner []*ssbtekv1.FormansBeslut
	for f := range 4 {
		fb := &ssbtekv1.FormansBeslut{Forman: fmt.Sprintf("FORMAN%d", f), AnsokanInkommen: true}
		for m := range 12 {
			u := &ssbtekv1.Utbetalning{Utbetalningsdatum: fmt.Sprintf("2025-%02d-25", m+1), From: fmt.Sprintf("2025-%02d-01", m+1),
				Tom: fmt.Sprintf("2025-%02d-28", m+1), StatusKod: "UTBETALD", BruttoOre: proto.Int64(1234500), NettoOre: proto.Int64(987600),
				Utbetalare: "Försäkringskassan", FormanKod: "BOS", Valuta: "SEK"}
			for r := range 3 {
				u.Rader = append(u.Rader, &ssbtekv1.Beloppsrad{Beloppstyp: fmt.Sprintf("TYP%d", r), Klartext: "Bostadsbidrag, barn", BeloppOre: 411500})
			}
			fb.Utbetalningar = append(fb.Utbetalningar, u)
		}
		formaner = append(formaner, fb)
	}
	res[2].Innehall = &ssbtekv1.BastjanstResultat_Fk{Fk: &ssbtekv1.Socialforsakringsformaner{Formaner: formaner}}
	return &ssbtekv1.HamtaSammanstallningResponse{Sammanstallning: &ssbtekv1.Sammanstallning{
		Resultat: res, Korrelationsid: "KORR-0001", Besvarad: timestamppb.New(time.Date(2025, 2, 3, 10, 11, 12, 0, time.UTC)),
	}}
}

// TestRESTMarshalerWritesJSONPbBytes: the REST marshaler is only faster,
// byte for byte what grpc-gateway's JSONPb writes, for answers, error
// bodies and non-message values alike, and after its buffers are reused.
func TestRESTMarshalerWritesJSONPbBytes(t *testing.T) {
	rm, jp := servedMarshalers()
	st, err := status.New(codes.InvalidArgument, "VALIDERINGSFEL: fraga.personidentitet: saknas").
		WithDetails(&errdetails.ErrorInfo{Reason: "VALIDERINGSFEL", Domain: ErrorDomain})
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range []any{
		bigAnswer(), &ssbtekv1.HamtaSammanstallningResponse{}, st.Proto(), bigAnswer(), (*ssbtekv1.Fraga)(nil),
		"text", int32(7), []string{"a", "b"}, ssbtekv1.Bastjanst_BASTJANST_FK, nil,
	} {
		want, werr := jp.Marshal(v)
		got, gerr := rm.Marshal(v)
		if !bytes.Equal(got, want) || (werr == nil) != (gerr == nil) {
			t.Errorf("%T: got %q, %v; JSONPb wrote %q, %v", v, got, gerr, want, werr)
		}
	}
	// A kept slice is the caller's: later answers do not overwrite it.
	first, _ := rm.Marshal(bigAnswer())
	keep := bytes.Clone(first)
	rm.Marshal(&ssbtekv1.HamtaSammanstallningResponse{Sammanstallning: &ssbtekv1.Sammanstallning{Korrelationsid: "X"}})
	if !bytes.Equal(first, keep) {
		t.Error("a returned answer changed after the next Marshal")
	}
}

// BenchmarkRESTMarshal is the REST answer's marshalling, grpc-gateway's
// JSONPb against the REST marshaler, for an answer the size of Tolvan's.
func BenchmarkRESTMarshal(b *testing.B) {
	rm, jp := servedMarshalers()
	answer := bigAnswer()
	for _, c := range []struct {
		name string
		m    runtime.Marshaler
	}{{"jsonpb", jp}, {"rest", rm}} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			var n int
			for b.Loop() {
				out, err := c.m.Marshal(answer)
				if err != nil {
					b.Fatal(err)
				}
				n = len(out)
			}
			b.SetBytes(int64(n))
		})
	}
}
