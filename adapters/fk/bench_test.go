package fk

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/ssbtek/gateway/adapters"
	"github.com/ssbtek/gateway/adapters/simkit"
	"github.com/ssbtek/gateway/internal/adaptertest"
)

// BenchmarkMapSvar maps Tolvan's answer (data in every part LEFI sends), the
// FK share of a composite request's CPU.
func BenchmarkMapSvar(b *testing.B) {
	raw, err := os.ReadFile(filepath.Join("testdata", "svar_tolvan.json"))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.SetBytes(int64(len(raw)))
	for b.Loop() {
		if _, err := mapSvar(raw, mediaTypeJSON); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkMapSvarAvvikelser maps Tolvan's answer as an actor sees it who
// may see no FK group: LEFI lists each group it asked for as an OBEHORIG
// avvikelse, in each of the five lists.
func BenchmarkMapSvarAvvikelser(b *testing.B) {
	raw, err := os.ReadFile(filepath.Join("testdata", "svar_tolvan.json"))
	if err != nil {
		b.Fatal(err)
	}
	var list []avvikelse
	for _, g := range fkGrupper() {
		list = append(list, avvikelse{Avvikelse: &kodBeskrivning{Kod: "OBEHORIG", Beskrivning: "Obehörig"}, Formansgrupp: &kodBeskrivning{Kod: g, Beskrivning: g}})
	}
	av, err := json.Marshal(avvikelser{Formansinformation: list, Ansprak: list, Beslut: list, PreliminaraUtbetalningar: list, Utbetalningar: list})
	if err != nil {
		b.Fatal(err)
	}
	raw = bytes.Replace(raw, []byte(`"formansinformation": {`), append(append([]byte(`"avvikelser": `), av...), `, "formansinformation": {`...), 1)
	b.ReportAllocs()
	b.SetBytes(int64(len(raw)))
	for b.Loop() {
		if _, err := mapSvar(raw, mediaTypeJSON); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkHamta asks the in-process simulator about Tolvan over loopback
// HTTP: request building, the call and the mapping, as the gateway does. The
// server is started without adaptertest.Serve, whose exchange log would grow
// with every iteration.
func BenchmarkHamta(b *testing.B) {
	mux := http.NewServeMux()
	Agency().Mount(mux, NewSimulator())
	srv := httptest.NewServer(mux)
	tr := &http.Transport{}
	b.Cleanup(func() {
		tr.CloseIdleConnections()
		srv.Close()
	})
	a := Agency().New(adapters.Config{URL: Agency().URL(srv.URL), HTTP: &http.Client{Transport: tr}})
	f := adaptertest.Fraga(simkit.Tolvan)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := a.Hamta(b.Context(), f, nil); err != nil {
			b.Fatal(err)
		}
	}
}
