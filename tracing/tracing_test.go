package tracing

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

func TestNoEndpointIsNoop(t *testing.T) {
	p, err := New(context.Background(), "ssbtekd", func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	_, span := p.Tracer("t").Start(context.Background(), "x")
	if span.IsRecording() || span.SpanContext().IsValid() || p.Endpoint != "" {
		t.Error("tracing without an endpoint records spans")
	}
	if err := p.Shutdown(context.Background()); err != nil {
		t.Error(err)
	}
}

func TestEndpointExportsOTLP(t *testing.T) {
	var mu sync.Mutex
	var got []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		got = append(got, r.Method+" "+r.URL.Path+" "+r.Header.Get("Content-Type")+" "+string(b))
		mu.Unlock()
		w.Header().Set("Content-Type", "application/x-protobuf")
	}))
	defer srv.Close()
	env := map[string]string{"OTEL_EXPORTER_OTLP_ENDPOINT": srv.URL}
	p, err := New(context.Background(), "ssbtekd", func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	_, span := p.Tracer("t").Start(context.Background(), "ssbtek.lookup")
	if !span.IsRecording() {
		t.Fatal("span not recording with an endpoint set")
	}
	span.End()
	if err := p.Shutdown(context.Background()); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(got) != 1 || !strings.Contains(got[0], "POST /v1/traces application/x-protobuf") || !strings.Contains(got[0], "ssbtek.lookup") || !strings.Contains(got[0], "ssbtekd") {
		t.Errorf("collector got %q", got)
	}
}
