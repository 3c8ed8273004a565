package adaptertest

import (
	"bytes"
	"errors"
	"testing"

	"github.com/ssbtek/gateway/adapters"
	"github.com/ssbtek/gateway/adapters/soap"
	"github.com/ssbtek/gateway/bastjanst"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
)

// FuzzMapping fuzzes agency a's answer mapping, given the answer as bytes
// (its seed corpus is the package's testdata/fuzz/<target>). Whatever comes,
// the mapping must not panic, and either fail as unreadable (2003) or give a
// result of a's that keeps the answer byte for byte.
func FuzzMapping(f *testing.F, a adapters.Agency, mapping func(raw []byte) (*ssbtekv1.BastjanstResultat, error)) {
	f.Fuzz(func(t *testing.T, raw []byte) {
		res, err := mapping(raw)
		if err != nil {
			var be *bastjanst.Error
			if !errors.As(err, &be) || be.Felkod != bastjanst.FelkodOlasbart && be.Felkod != bastjanst.FelkodEjBehorig {
				t.Fatalf("error %v is not an unreadable answer", err)
			}
			return
		}
		if res.GetBastjanst() != a.Bastjanst {
			t.Fatalf("result of %v, want %v", res.GetBastjanst(), a.Bastjanst)
		}
		if !bytes.Equal(res.GetRadata().GetInnehall(), raw) {
			t.Fatalf("radata is not the answer as received")
		}
	})
}

// FuzzSOAPMapping is FuzzMapping for a SOAP agency's mapping of a parsed
// envelope; a document that is no envelope never reaches the mapping.
func FuzzSOAPMapping(f *testing.F, a adapters.Agency, mapping func(env *soap.Envelope) (*ssbtekv1.BastjanstResultat, error)) {
	FuzzMapping(f, a, func(raw []byte) (*ssbtekv1.BastjanstResultat, error) {
		env, err := soap.ParseAs(raw, soap.ContentType)
		if err != nil || env.Body == nil {
			return nil, bastjanst.Unreadable(errors.New("not an envelope with a body"))
		}
		return mapping(env)
	})
}
