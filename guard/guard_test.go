package guard

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

const pnr = "191212121212"

func TestRecoverHTTP(t *testing.T) {
	var logs bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&logs, nil))
	h := RecoverHTTP(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/boom" {
			panic("no such person " + pnr)
		}
		io.WriteString(w, "ok")
	}), log)
	srv := httptest.NewServer(h)
	defer srv.Close()
	resp, err := http.Get(srv.URL + "/boom")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 500 {
		t.Errorf("panic answered %d, want 500", resp.StatusCode)
	}
	// The process (and server) lives on.
	resp, err = http.Get(srv.URL + "/fine")
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("after the panic: %v %v", resp, err)
	}
	resp.Body.Close()
	out := logs.String()
	if strings.Contains(out, pnr) || !strings.Contains(out, "panic in handler") || !strings.Contains(out, "[personnummer]") || !strings.Contains(out, "guard.TestRecoverHTTP") {
		t.Errorf("log: %s", out)
	}
}

func TestRecoverUnary(t *testing.T) {
	var logs bytes.Buffer
	icpt := RecoverUnary(slog.New(slog.NewJSONHandler(&logs, nil)))
	_, err := icpt(context.Background(), nil, &grpc.UnaryServerInfo{FullMethod: "/s/M"}, func(context.Context, any) (any, error) {
		var m map[string]int
		m[pnr] = 1 // assignment to entry in nil map
		return nil, nil
	})
	if status.Code(err) != codes.Internal {
		t.Errorf("err = %v, want Internal", err)
	}
	if out := logs.String(); strings.Contains(out, pnr) || !strings.Contains(out, `"method":"/s/M"`) || !strings.Contains(out, "nil map") {
		t.Errorf("log: %s", out)
	}
}

func TestLimitListener(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var active, peak atomic.Int32
	release := make(chan struct{})
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := active.Add(1)
		for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
		}
		<-release
		active.Add(-1)
	})}
	go srv.Serve(LimitListener(ln, 3))
	defer srv.Close()
	done := make(chan struct{}, 10)
	for range 10 {
		go func() {
			c := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
			if resp, err := c.Get("http://" + ln.Addr().String()); err == nil {
				resp.Body.Close()
			}
			done <- struct{}{}
		}()
	}
	time.Sleep(200 * time.Millisecond)
	if got := active.Load(); got != 3 {
		t.Errorf("%d connections served at once, want the limit 3", got)
	}
	close(release)
	for range 10 {
		<-done
	}
	if peak.Load() != 3 {
		t.Errorf("peak %d, want 3", peak.Load())
	}
	if LimitListener(ln, 0) != ln {
		t.Error("0 should mean no limit")
	}
}
