package adapters_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/ssbtek/gateway/adapters"
	"github.com/ssbtek/gateway/adapters/registry"
	"github.com/ssbtek/gateway/adapters/simkit"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
	"github.com/ssbtek/gateway/internal/adaptertest"
)

// replay answers every request with the answer its agency's simulator gave
// the first one, so that a benchmark measures the adapter (building the
// request, reading and mapping the answer, keeping the radata) and neither
// the network nor the simulator.
type replay struct {
	sim http.Handler

	once        sync.Once
	status      int
	contentType string
	body        []byte
}

func (r *replay) RoundTrip(req *http.Request) (*http.Response, error) {
	r.once.Do(func() {
		rec := httptest.NewRecorder()
		r.sim.ServeHTTP(rec, req)
		r.status, r.contentType, r.body = rec.Code, rec.Header().Get("Content-Type"), rec.Body.Bytes()
	})
	if req.Body != nil {
		io.Copy(io.Discard, req.Body)
		req.Body.Close()
	}
	return &http.Response{
		StatusCode:    r.status,
		Header:        http.Header{"Content-Type": {r.contentType}},
		Body:          io.NopCloser(bytes.NewReader(r.body)),
		ContentLength: int64(len(r.body)),
		Request:       req,
	}, nil
}

// BenchmarkSOAPAdapters is one Hamta about Tolvan per SOAP agency, its
// answer replayed from memory: the adapter's own CPU and allocations per
// composite request, without network.
func BenchmarkSOAPAdapters(b *testing.B) {
	f := adaptertest.Fraga(simkit.Tolvan)
	for _, a := range registry.Agencies() {
		if a.Bastjanst == ssbtekv1.Bastjanst_BASTJANST_FK {
			continue // JSON over REST, not SOAP
		}
		b.Run(a.Name, func(b *testing.B) {
			mux := http.NewServeMux()
			a.Mount(mux, a.NewSimulator())
			ad := a.New(adapters.Config{URL: a.URL("http://sim"), HTTP: &http.Client{Transport: &replay{sim: mux}}})
			ctx := context.Background()
			res, err := ad.Hamta(ctx, f, nil)
			if err != nil || res.GetFel() != nil {
				b.Fatalf("Hamta: %v %v", err, res.GetFel())
			}
			if res.GetRadata().GetInbaddning() == nil {
				b.Fatal("the answer's embedded part was not located")
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := ad.Hamta(ctx, f, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
