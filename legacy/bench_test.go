package legacy

import (
	"testing"

	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
)

// BenchmarkHamta parses a full v10 question (with the question echoed) into
// the modern Fraga and assembles the full seven-agency answer from canned
// agency answers: the shim's own work, without agency I/O.
func BenchmarkHamta(b *testing.B) {
	raw := readTestdata(b, "hamta_v10.xml")
	var x exchange
	res := benchResults(b, &x, raw)
	b.ReportAllocs()
	b.SetBytes(int64(len(raw)))
	for b.Loop() {
		x.dec.reset(DefaultMaxDepth)
		if err := x.dec.decode(raw, "text/xml; charset=utf-8"); err != nil {
			b.Fatal(err)
		}
		_ = x.dec.fraga()
		x.enc.answer(&x.dec, res)
	}
	b.ReportMetric(float64(len(x.enc.b)), "answer-bytes")
}

// BenchmarkDecode is the question alone: envelope, contract checks, Fraga.
func BenchmarkDecode(b *testing.B) {
	raw := readTestdata(b, "hamta_v10.xml")
	var d decoder
	b.ReportAllocs()
	b.SetBytes(int64(len(raw)))
	for b.Loop() {
		d.reset(DefaultMaxDepth)
		if err := d.decode(raw, "text/xml; charset=utf-8"); err != nil {
			b.Fatal(err)
		}
		_ = d.fraga()
	}
}

// BenchmarkAnswer is the seven-agency answer alone.
func BenchmarkAnswer(b *testing.B) {
	raw := readTestdata(b, "hamta_v10.xml")
	var x exchange
	res := benchResults(b, &x, raw)
	b.ReportAllocs()
	for b.Loop() {
		x.enc.answer(&x.dec, res)
	}
	b.SetBytes(int64(len(x.enc.b)))
}

func benchResults(b *testing.B, x *exchange, raw []byte) []*ssbtekv1.BastjanstResultat {
	x.dec.reset(DefaultMaxDepth)
	if err := x.dec.decode(raw, "text/xml"); err != nil {
		b.Fatal(err)
	}
	res := cannedResults(cannedRadata(b), x.dec.fraga())
	if len(res) != 7 {
		b.Fatalf("%d results", len(res))
	}
	return res
}
