package health

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
)

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func serve(t *testing.T, h http.Handler) (string, *http.Server, chan error) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: h}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	return "http://" + ln.Addr().String(), srv, errc
}

func TestReadyzFollowsListenersChecksAndShutdown(t *testing.T) {
	c := New([]string{"grpc", "http"})
	var auditDown atomic.Bool
	auditDown.Store(true)
	c.AddCheck("audit", func(context.Context) error {
		if auditDown.Load() {
			return errors.New("store not writable")
		}
		return nil
	})
	mux := http.NewServeMux()
	mux.Handle("/healthz", c.Live())
	mux.Handle("/readyz", c.ReadyHandler())
	base, srv, _ := serve(t, mux)
	defer srv.Close()

	if code, body := get(t, base+"/readyz"); code != 503 || !strings.Contains(body, "[grpc http]") || !strings.Contains(body, "audit: store not writable") {
		t.Errorf("before start: %d %q", code, body)
	}
	if code, _ := get(t, base+"/healthz"); code != 200 {
		t.Errorf("healthz %d while starting: live is not ready", code)
	}
	c.Up("grpc")
	c.Up("http")
	if code, body := get(t, base+"/readyz"); code != 503 || strings.Contains(body, "listeners") {
		t.Errorf("audit down: %d %q", code, body)
	}
	auditDown.Store(false)
	if code, body := get(t, base+"/readyz"); code != 200 || body != "ready\n" {
		t.Errorf("all up: %d %q", code, body)
	}
	c.ShuttingDown()
	if code, body := get(t, base+"/readyz"); code != 503 || !strings.Contains(body, "shutting down") {
		t.Errorf("shutting down: %d %q", code, body)
	}
}

func TestGRPCHealthReflectsReadiness(t *testing.T) {
	c := New([]string{"grpc"}, "ssbtek.v1.SammansattBastjanstService")
	var auditDown atomic.Bool
	c.AddCheck("audit", func(context.Context) error {
		if auditDown.Load() {
			return errors.New("down")
		}
		return nil
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	g := grpc.NewServer()
	healthpb.RegisterHealthServer(g, c.GRPC())
	go g.Serve(ln)
	defer g.Stop()
	conn, err := grpc.NewClient(ln.Addr().String(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	hc := healthpb.NewHealthClient(conn)
	check := func(svc string) healthpb.HealthCheckResponse_ServingStatus {
		t.Helper()
		r, err := hc.Check(context.Background(), &healthpb.HealthCheckRequest{Service: svc})
		if err != nil {
			t.Fatal(err)
		}
		return r.GetStatus()
	}
	if s := check(""); s != healthpb.HealthCheckResponse_NOT_SERVING {
		t.Errorf("listener not up: %v", s)
	}
	c.Up("grpc")
	if s := check("ssbtek.v1.SammansattBastjanstService"); s != healthpb.HealthCheckResponse_SERVING {
		t.Errorf("ready: %v", s)
	}
	auditDown.Store(true)
	if s := check(""); s != healthpb.HealthCheckResponse_NOT_SERVING {
		t.Errorf("audit down: %v", s)
	}
	auditDown.Store(false)
	if _, err := hc.Check(context.Background(), &healthpb.HealthCheckRequest{Service: "nope"}); err == nil {
		t.Error("unknown service answered")
	}
	c.ShuttingDown()
	if s := check(""); s != healthpb.HealthCheckResponse_NOT_SERVING {
		t.Errorf("shutting down: %v", s)
	}
}

// Drain: readiness false first, in-flight requests finish, then the
// listener closes.
func TestDrainOrder(t *testing.T) {
	c := New(nil)
	started := make(chan struct{})
	mux := http.NewServeMux()
	mux.Handle("/readyz", c.ReadyHandler())
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		close(started)
		time.Sleep(300 * time.Millisecond)
		io.WriteString(w, "done")
	})
	base, srv, errc := serve(t, mux)

	parent, stop := context.WithCancel(context.Background())
	ctx := c.Drain(parent, 100*time.Millisecond)
	go func() {
		<-ctx.Done()
		srv.Shutdown(context.Background())
	}()
	slow := make(chan string, 1)
	go func() {
		resp, err := http.Get(base + "/slow")
		if err != nil {
			slow <- err.Error()
			return
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		slow <- string(b)
	}()
	<-started
	stop() // SIGTERM
	time.Sleep(10 * time.Millisecond)
	if code, _ := get(t, base+"/readyz"); code != 503 {
		t.Errorf("readyz %d right after SIGTERM, want 503 before the listener closes", code)
	}
	if got := <-slow; got != "done" {
		t.Errorf("in-flight request: %q, want it finished", got)
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		t.Errorf("serve: %v", err)
	}
	if _, err := http.Get(base + "/readyz"); err == nil {
		t.Error("still accepting after the drain")
	}
}
