package simkit

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestParseFault(t *testing.T) {
	for in, want := range map[string]Fault{
		"hang":          {Kind: FaultHang},
		"latency=250ms": {Kind: FaultLatency, Latency: 250 * time.Millisecond},
		"":              {},
		" oversized ":   {Kind: FaultOversized},
	} {
		got, err := ParseFault(in)
		if err != nil || got != want {
			t.Errorf("ParseFault(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, bad := range []string{"latency", "latency=-1s", "explode"} {
		if _, err := ParseFault(bad); err == nil {
			t.Errorf("ParseFault(%q) accepted", bad)
		}
	}
}

func TestInjector(t *testing.T) {
	var in Injector
	srv := httptest.NewServer(in.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		io.WriteString(w, "echo:"+string(body))
	})))
	defer srv.Close()
	post := func(ctx context.Context, header string) (*http.Response, string, error) {
		req, _ := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL, strings.NewReader("hej"))
		if header != "" {
			req.Header.Set(FaultHeader, header)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return nil, "", err
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		return resp, string(b), err
	}

	// The handler still sees the body the injector read first.
	if _, body, err := post(context.Background(), ""); err != nil || body != "echo:hej" {
		t.Fatalf("no fault: %q %v", body, err)
	}
	in.Set(Fault{Kind: FaultHTTP500})
	if resp, _, _ := post(context.Background(), ""); resp.StatusCode != 500 {
		t.Errorf("http500: status %d", resp.StatusCode)
	}
	in.Clear()
	if resp, _, _ := post(context.Background(), "bogus"); resp.StatusCode != 400 {
		t.Errorf("bad header: status %d", resp.StatusCode)
	}
	if _, body, err := post(context.Background(), "truncated"); err == nil && body == "echo:hej" {
		t.Errorf("truncated answer arrived whole")
	}
	if _, body, _ := post(context.Background(), "oversized"); len(body) < 16<<20 {
		t.Errorf("oversized: only %d bytes", len(body))
	}
	// A hang ends when its caller gives up; srv.Close would block otherwise.
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	if _, _, err := post(ctx, "hang"); err == nil {
		t.Error("hang answered")
	}
	if time.Since(start) > 2*time.Second {
		t.Error("hang outlived its caller")
	}
}
