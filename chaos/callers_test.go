package chaos

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/net/http2"
	"golang.org/x/net/http2/hpack"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/encoding/protojson"

	"github.com/ssbtek/gateway/fanout"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
	"github.com/ssbtek/gateway/guard"
	"github.com/ssbtek/gateway/internal/testenv"
	"github.com/ssbtek/gateway/internal/testpki"
	"github.com/ssbtek/gateway/legacy"
	"github.com/ssbtek/gateway/lookup"
	"github.com/ssbtek/gateway/quota"
	"github.com/ssbtek/gateway/rights"
	"github.com/ssbtek/gateway/server"
)

// The caller-side suite's limits: short, so that it runs in seconds. The
// production values are server.DefaultHTTPTimeouts and
// server.DefaultRequestTimeout; TestCallerLimitsAreSet checks they are set.
var callerTimeouts = server.HTTPTimeouts{ReadHeader: 400 * time.Millisecond, Read: 800 * time.Millisecond, Write: 5 * time.Second, Idle: 5 * time.Second}

const (
	grpcRequestTimeout = 800 * time.Millisecond
	maxConns           = 50
	flood              = 1000
	// heapBound is generous: the gateway and this test's clients together
	// stay far below it; unbounded buffering of 1000 callers would not.
	heapBound = 256 << 20
)

// kommun is the suite's usual caller; annan is another organisation,
// whose lookups must stay quick while kommun (or nobody) attacks.
const (
	kommun = "162120002411"
	annan  = "162120001420"
)

// frontConfig is what a suite's gateway is started with.
type frontConfig struct {
	timeouts server.HTTPTimeouts
	conns    guard.ConnLimits
	grpcIdle time.Duration
}

// callerFront is TestSlowCallers' and its neighbours' gateway: short
// timeouts, each listener's unidentified connections bounded at maxConns.
var callerFront = frontConfig{
	timeouts: callerTimeouts,
	conns:    guard.ConnLimits{Unidentified: maxConns, Handshake: callerTimeouts.ReadHeader, Identified: 4 * maxConns, PerOrganisation: maxConns},
}

// front is the gateway's servers as ssbtekd wires them (REST, SOAP shim,
// gRPC, mTLS, the connection budgets of guard.Listener on each listener)
// over the real adapters and simulators, with each listener's accepted
// connections counted.
type front struct {
	pki                *testpki.PKI
	httpAddr, grpcAddr string
	httpConns          *counting
	grpcConns          *counting
	httpGuard          *guard.Listener
	grpcGuard          *guard.Listener
	client             *tls.Config // kommun's
}

func startFront(t *testing.T) *front { return startFrontWith(t, callerFront) }

func startFrontWith(t *testing.T, fc frontConfig) *front {
	t.Helper()
	env := testenv.New(t, fanout.Config{AgencyTimeout: patient, OverallTimeout: patient})
	r, err := rights.Parse([]byte(`organisationer:
  - {organisationsnummer: "` + kommun + `", namn: Exempelkommun, bastjanster: [AF, CSN, FK, SKV, SO, TNS, MIV]}
  - {organisationsnummer: "` + annan + `", namn: Annan kommun, bastjanster: [AF, CSN, FK, SKV, SO, TNS, MIV]}`))
	if err != nil {
		t.Fatal(err)
	}
	svc := lookup.New(env.Core, nil, lookup.WithRights(rights.Static(r)), lookup.WithQuota(quota.NewMemory()))
	p := testpki.New(t)
	f := &front{pki: p, client: p.Client(t, testpki.Org(kommun))}
	listen := func() (*guard.Listener, *counting) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		c := &counting{Listener: ln}
		return guard.NewListener(c, fc.conns), c
	}
	gl, gc := listen()
	hl, hc := listen()
	f.grpcAddr, f.grpcConns, f.grpcGuard = gl.Addr().String(), gc, gl
	f.httpAddr, f.httpConns, f.httpGuard = hl.Addr().String(), hc, hl
	ctx, cancel := context.WithCancel(context.Background())
	opts := server.Options{
		TLS:               gl.TLSConfig(p.ServerTLS()),
		Extra:             map[string]http.Handler{legacy.Path: legacy.NewHandler(svc, legacy.Config{})},
		RequestTimeout:    grpcRequestTimeout,
		HandshakeTimeout:  fc.conns.Handshake,
		MaxConnectionIdle: fc.grpcIdle,
	}
	gs, err := server.NewGRPC(svc, opts)
	if err != nil {
		t.Fatal(err)
	}
	hh, err := server.NewHTTP(ctx, svc, opts)
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{}, 2)
	go func() { server.ServeGRPC(ctx, gl, gs); done <- struct{}{} }()
	go func() {
		server.ServeHTTPTimeouts(ctx, tls.NewListener(hl, hl.TLSConfig(p.ServerTLS())), hh, fc.timeouts, serverLog(t))
		done <- struct{}{}
	}()
	t.Cleanup(func() {
		cancel()
		<-done
		<-done
	})
	return f
}

// serverLog takes the HTTP server's own error lines (a failed TLS
// handshake for every connection an attack leaves silent: a thousand lines
// in a flood) and shows the last of them only when the test fails.
func serverLog(t *testing.T) *slog.Logger {
	var mu sync.Mutex
	var buf bytes.Buffer
	t.Cleanup(func() {
		mu.Lock()
		defer mu.Unlock()
		if t.Failed() && buf.Len() > 0 {
			b := buf.Bytes()
			t.Logf("the HTTP server's last error lines:\n%s", b[max(0, len(b)-8<<10):])
		}
	})
	return slog.New(slog.NewTextHandler(writerFunc(func(p []byte) (int, error) {
		mu.Lock()
		defer mu.Unlock()
		// The end is what explains a failure; keep the last 64 KiB.
		if buf.Len() > 64<<10 {
			tail := append([]byte(nil), buf.Bytes()[buf.Len()-32<<10:]...)
			buf.Reset()
			buf.Write(tail)
		}
		return buf.Write(p)
	}), nil))
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

// counting is a listener that knows how many of its connections are open,
// and the most that were at once.
type counting struct {
	net.Listener
	open, peak, total atomic.Int64
}

func (c *counting) Accept() (net.Conn, error) {
	conn, err := c.Listener.Accept()
	if err != nil {
		return nil, err
	}
	c.total.Add(1)
	n := c.open.Add(1)
	for p := c.peak.Load(); n > p && !c.peak.CompareAndSwap(p, n); p = c.peak.Load() {
	}
	return &countedConn{Conn: conn, c: c}, nil
}

type countedConn struct {
	net.Conn
	c    *counting
	once sync.Once
}

func (cc *countedConn) Close() error {
	cc.once.Do(func() { cc.c.open.Add(-1) })
	return cc.Conn.Close()
}

// httpClient is a fresh client with the municipality's certificate.
func (f *front) httpClient(t *testing.T) *http.Client {
	tr := &http.Transport{TLSClientConfig: f.client}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr, Timeout: 10 * time.Second}
}

func (f *front) grpcConn(t *testing.T) *grpc.ClientConn {
	conn, err := grpc.NewClient(f.grpcAddr, grpc.WithTransportCredentials(credentials.NewTLS(f.client)))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}

func restBody(t *testing.T) []byte {
	b, err := protojson.Marshal(&ssbtekv1.HamtaSammanstallningRequest{Fraga: fraga()})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// askREST asks once over REST and fails the test unless all seven answer.
func (f *front) askREST(t *testing.T, c *http.Client) {
	t.Helper()
	resp, err := c.Post("https://"+f.httpAddr+"/v1/sammanstallning", "application/json", bytes.NewReader(restBody(t)))
	if err != nil {
		t.Fatalf("REST: %v", err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	var out ssbtekv1.HamtaSammanstallningResponse
	if resp.StatusCode != http.StatusOK || protojson.Unmarshal(body, &out) != nil || len(out.GetSammanstallning().GetResultat()) != 7 {
		t.Fatalf("REST: %d %.300s", resp.StatusCode, body)
	}
}

func (f *front) askGRPC(t *testing.T, conn *grpc.ClientConn) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	out, err := ssbtekv1.NewSammansattBastjanstServiceClient(conn).HamtaSammanstallning(ctx, &ssbtekv1.HamtaSammanstallningRequest{Fraga: fraga()})
	if err != nil || len(out.GetSammanstallning().GetResultat()) != 7 {
		t.Fatalf("gRPC: %v, %d results", err, len(out.GetSammanstallning().GetResultat()))
	}
}

// heapWatch samples the heap in use until stopped and returns its peak.
// unharmed checks that, after an attack, both listeners still answer a
// question and the heap stayed below heapBound while it lasted.
func (f *front) unharmed(t *testing.T, stopHeap func() uint64) {
	t.Helper()
	f.askREST(t, f.httpClient(t))
	f.askGRPC(t, f.grpcConn(t))
	if peak := stopHeap(); peak > heapBound {
		t.Errorf("heap in use peaked at %d MiB, want below %d MiB", peak>>20, heapBound>>20)
	} else {
		t.Logf("heap in use peaked at %d MiB, process peak RSS %d MiB", peak>>20, peakRSS(t)>>20)
	}
}

func heapWatch() (stop func() uint64) {
	var peak atomic.Uint64
	done, finished := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(finished)
		var m runtime.MemStats
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		for {
			runtime.ReadMemStats(&m)
			if m.HeapInuse > peak.Load() {
				peak.Store(m.HeapInuse)
			}
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	}()
	return func() uint64 { close(done); <-finished; return peak.Load() }
}

// peakRSS is this process's VmHWM, the gateway's servers and the test's
// clients together.
func peakRSS(t *testing.T) int64 {
	raw, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range strings.Split(string(raw), "\n") {
		if v, ok := strings.CutPrefix(l, "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			if err != nil {
				t.Fatal(err)
			}
			return kb << 10
		}
	}
	t.Fatal("no VmHWM")
	return 0
}

// endedWithin waits for the server to end conn (EOF, reset or an answer
// followed by close) and returns how long that took from start, or fails
// when it holds on past limit.
func endedWithin(t *testing.T, conn net.Conn, start time.Time, limit time.Duration) (time.Duration, string) {
	t.Helper()
	conn.SetReadDeadline(start.Add(limit + 5*time.Second))
	got, err := io.ReadAll(conn)
	took := time.Since(start)
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		t.Fatalf("the gateway still held the connection after %v (limit %v)", took, limit)
	}
	if took > limit {
		t.Errorf("the gateway ended the connection after %v, want within %v", took, limit)
	}
	first, _, _ := strings.Cut(string(got), "\r\n")
	return took, first
}

// trickle writes b one byte per interval until the server stops reading.
func trickle(conn net.Conn, b []byte, every time.Duration) {
	for i := range b {
		if _, err := conn.Write(b[i : i+1]); err != nil {
			return
		}
		time.Sleep(every)
	}
}

// TestSlowCallers: a caller that sends its request slowly, or not at all,
// does not hold the gateway: a silent connection ends with the handshake
// timeout on both listeners, trickled HTTP headers with the header timeout,
// a trickled REST or SOAP body with the read timeout, and a gRPC call whose
// message never comes, without any deadline of its own, with the request
// timeout (DEADLINE_EXCEEDED). The gateway still answers afterwards.
func TestSlowCallers(t *testing.T) {
	f := startFront(t)
	const slackC = 400 * time.Millisecond
	stopHeap := heapWatch()

	for name, addr := range map[string]string{"HTTP": f.httpAddr, "gRPC": f.grpcAddr} {
		t.Run("silent connection "+name, func(t *testing.T) {
			start := time.Now()
			conn, err := net.Dial("tcp", addr)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			took, _ := endedWithin(t, conn, start, callerTimeouts.ReadHeader+slackC)
			t.Logf("closed after %v", took)
		})
	}

	dialTLS := func(t *testing.T) *tls.Conn {
		conn, err := tls.Dial("tcp", f.httpAddr, f.client)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { conn.Close() })
		return conn
	}
	t.Run("trickled headers", func(t *testing.T) {
		conn := dialTLS(t)
		start := time.Now()
		go trickle(conn, []byte("POST /v1/sammanstallning HTTP/1.1\r\nHost: gateway\r\nX-Slow: "+strings.Repeat("a", 200)+"\r\n\r\n"), 20*time.Millisecond)
		took, first := endedWithin(t, conn, start, callerTimeouts.ReadHeader+slackC)
		t.Logf("ended after %v: %q", took, first)
	})
	for _, path := range []string{"/v1/sammanstallning", legacy.Path} {
		t.Run("trickled body "+path, func(t *testing.T) {
			conn := dialTLS(t)
			body := restBody(t)
			if path == legacy.Path {
				body = []byte(strings.Repeat(" ", 2000))
			}
			start := time.Now()
			fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: gateway\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n", path, len(body))
			go trickle(conn, body, 20*time.Millisecond)
			took, first := endedWithin(t, conn, start, callerTimeouts.Read+slackC)
			if strings.Contains(first, " 200 ") {
				t.Errorf("a body cut off by the read timeout was answered %q", first)
			}
			t.Logf("ended after %v: %q", took, first)
		})
	}
	t.Run("gRPC message never sent", func(t *testing.T) {
		conn := f.grpcConn(t)
		// No deadline of the caller's own: only the gateway's bounds it.
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		start := time.Now()
		cs, err := conn.NewStream(ctx, &grpc.StreamDesc{ClientStreams: true, ServerStreams: true}, ssbtekv1.SammansattBastjanstService_HamtaSammanstallning_FullMethodName)
		if err != nil {
			t.Fatal(err)
		}
		errc := make(chan error, 1)
		go func() { errc <- cs.RecvMsg(new(ssbtekv1.HamtaSammanstallningResponse)) }()
		select {
		case err := <-errc:
			took := time.Since(start)
			if status.Code(err) != codes.DeadlineExceeded || took > grpcRequestTimeout+slackC {
				t.Errorf("after %v: %v, want DEADLINE_EXCEEDED within %v", took, err, grpcRequestTimeout+slackC)
			}
			t.Logf("ended after %v: %v", took, err)
		case <-time.After(grpcRequestTimeout + 5*time.Second):
			t.Fatal("the gateway still held the stream")
		}
	})

	t.Run("health Watch outlives the request timeout", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		w, err := healthpb.NewHealthClient(f.grpcConn(t)).Watch(ctx, &healthpb.HealthCheckRequest{})
		if err != nil {
			t.Fatal(err)
		}
		if st, err := w.Recv(); err != nil || st.GetStatus() != healthpb.HealthCheckResponse_SERVING {
			t.Fatalf("first status: %v %v", st, err)
		}
		errc := make(chan error, 1)
		go func() { _, err := w.Recv(); errc <- err }()
		select {
		case err := <-errc:
			t.Fatalf("the Watch ended: %v", err)
		case <-time.After(grpcRequestTimeout + slackC):
		}
		cancel()
		<-errc
	})

	// The gateway is unharmed.
	f.unharmed(t, stopHeap)
}

// TestConnectionFlood: 1 000 connections at once on each listener, none of
// them saying anything; each listener holds at most its unidentified
// budget of them (one more for the moment between accepting a connection
// and closing the oldest), the rest are closed as newer ones come or by the
// handshake timeout, and then a question is answered on both.
func TestConnectionFlood(t *testing.T) {
	f := startFront(t)
	stopHeap := heapWatch()
	for _, l := range []struct {
		name string
		addr string
		c    *counting
	}{{"HTTP", f.httpAddr, f.httpConns}, {"gRPC", f.grpcAddr, f.grpcConns}} {
		conns := make([]net.Conn, 0, flood)
		for range flood {
			// The kernel's backlog completes the TCP handshake for the
			// connections the gateway has not accepted yet.
			conn, err := net.DialTimeout("tcp", l.addr, 5*time.Second)
			if err != nil {
				t.Fatalf("%s: dialling connection %d: %v", l.name, len(conns), err)
			}
			conns = append(conns, conn)
		}
		start := time.Now()
		// Every connection ends: the gateway closes the silent ones it
		// accepted, holding at most maxConns at a time.
		var wg sync.WaitGroup
		var held atomic.Int64
		for _, conn := range conns {
			wg.Go(func() {
				conn.SetReadDeadline(time.Now().Add(30 * time.Second))
				if _, err := io.Copy(io.Discard, conn); err != nil {
					held.Add(1)
				}
				conn.Close()
			})
		}
		wg.Wait()
		took := time.Since(start)
		if held.Load() > 0 {
			t.Errorf("%s: %d connections still held after 30 s", l.name, held.Load())
		}
		if peak := l.c.peak.Load(); peak > maxConns+1 || peak < maxConns/2 {
			t.Errorf("%s: at most %d connections open at once, want at most the unidentified budget %d (and the budget reached)", l.name, peak, maxConns)
		}
		if total := l.c.total.Load(); total < flood {
			t.Errorf("%s: %d connections accepted, want all %d in turn", l.name, total, flood)
		}
		// At worst (no newer connection evicting them) batches of maxConns,
		// each closed after the handshake timeout.
		if most := time.Duration(flood/maxConns+1)*callerTimeouts.ReadHeader + 5*time.Second; took > most {
			t.Errorf("%s: the flood took %v to drain, want within %v", l.name, took, most)
		}
		t.Logf("%s: %d connections, at most %d open at once, drained in %v", l.name, flood, l.c.peak.Load(), took)
	}
	f.unharmed(t, stopHeap)
}

// TestOversizedHeaders: HTTP headers and gRPC metadata above
// server.MaxHeaderBytes are refused (HTTP 431 on REST and SOAP; the gRPC
// stream reset, sent by a raw HTTP/2 client since grpc-go's own client
// would refuse to send them), while the same call with small ones works.
func TestOversizedHeaders(t *testing.T) {
	f := startFront(t)
	big := strings.Repeat("a", 2*server.MaxHeaderBytes)
	c := f.httpClient(t)
	for _, path := range []string{"/v1/sammanstallning", legacy.Path} {
		req, err := http.NewRequest(http.MethodPost, "https://"+f.httpAddr+path, bytes.NewReader(restBody(t)))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Big", big)
		resp, err := c.Do(req)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusRequestHeaderFieldsTooLarge {
			t.Errorf("%s with %d KiB of headers: %d, want 431", path, len(big)>>10, resp.StatusCode)
		}
	}
	f.askREST(t, c)

	// The real client with small metadata works.
	conn := f.grpcConn(t)
	ctx := metadata.AppendToOutgoingContext(context.Background(), "x-small", strings.Repeat("a", 1024))
	if _, err := ssbtekv1.NewSammansattBastjanstServiceClient(conn).HamtaSammanstallning(ctx, &ssbtekv1.HamtaSammanstallningRequest{Fraga: fraga()}); err != nil {
		t.Fatalf("gRPC with 1 KiB of metadata: %v", err)
	}
	// The raw client itself: headers below the limit are taken.
	if refused, how := rawGRPCHeaders(t, f, strings.Repeat("a", server.MaxHeaderBytes/2)); refused {
		t.Fatalf("gRPC with %d KiB of metadata refused (%s): the raw client is broken", server.MaxHeaderBytes/2>>10, how)
	}
	refused, how := rawGRPCHeaders(t, f, big)
	if !refused {
		t.Errorf("gRPC with %d KiB of metadata: not refused (%s)", len(big)>>10, how)
	}
	t.Logf("gRPC with %d KiB of metadata: %s", len(big)>>10, how)
}

// rawGRPCHeaders opens a gRPC stream with an x-big header of value big
// over a raw HTTP/2 connection and reports whether the gateway refused it
// (reset the stream, a non-OK grpc-status, GOAWAY or closed the connection)
// before sending any answer.
func rawGRPCHeaders(t *testing.T, f *front, big string) (bool, string) {
	t.Helper()
	cfg := f.client.Clone()
	cfg.NextProtos = []string{"h2"}
	conn, err := tls.Dial("tcp", f.grpcAddr, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := io.WriteString(conn, http2.ClientPreface); err != nil {
		t.Fatal(err)
	}
	bw := bufio.NewWriter(conn)
	fr := http2.NewFramer(bw, conn)
	fr.ReadMetaHeaders = hpack.NewDecoder(4096, nil)
	if err := fr.WriteSettings(); err != nil {
		t.Fatal(err)
	}
	var block bytes.Buffer
	enc := hpack.NewEncoder(&block)
	for _, h := range [][2]string{
		{":method", "POST"}, {":scheme", "https"}, {":authority", f.grpcAddr},
		{":path", ssbtekv1.SammansattBastjanstService_HamtaSammanstallning_FullMethodName},
		{"content-type", "application/grpc"}, {"te", "trailers"}, {"x-big", big},
	} {
		enc.WriteField(hpack.HeaderField{Name: h[0], Value: h[1]})
	}
	const chunk = 16 << 10 // the default SETTINGS_MAX_FRAME_SIZE
	b := block.Bytes()
	first := b[:min(chunk, len(b))]
	// A write error is the gateway closing the connection on us mid-way.
	if err := fr.WriteHeaders(http2.HeadersFrameParam{StreamID: 1, BlockFragment: first, EndHeaders: len(b) <= chunk}); err != nil {
		return true, "connection closed while sending: " + err.Error()
	}
	for rest := b[len(first):]; len(rest) > 0; {
		n := min(chunk, len(rest))
		if err := fr.WriteContinuation(1, n == len(rest), rest[:n]); err != nil {
			return true, "connection closed while sending: " + err.Error()
		}
		rest = rest[n:]
	}
	if err := bw.Flush(); err != nil {
		return true, "connection closed while sending: " + err.Error()
	}
	// A refusal comes at once; waiting for the message would end only
	// with the request timeout (DEADLINE_EXCEEDED), which is no refusal.
	wait := grpcRequestTimeout / 2
	conn.SetReadDeadline(time.Now().Add(wait))
	for {
		frame, err := fr.ReadFrame()
		if err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				return false, fmt.Sprintf("no refusal within %v: the gateway took the headers and waits for the message", wait)
			}
			return true, "connection closed: " + err.Error()
		}
		switch fm := frame.(type) {
		case *http2.SettingsFrame:
			if !fm.IsAck() {
				fr.WriteSettingsAck()
				bw.Flush()
			}
		case *http2.RSTStreamFrame:
			return true, "stream reset: " + fm.ErrCode.String()
		case *http2.GoAwayFrame:
			return true, "GOAWAY: " + fm.ErrCode.String()
		case *http2.MetaHeadersFrame:
			if s := fm.PseudoValue("status"); s != "" && s != "200" {
				return true, "HTTP status " + s
			}
			for _, h := range fm.Fields {
				if h.Name == "grpc-status" && h.Value != "0" && h.Value != strconv.Itoa(int(codes.DeadlineExceeded)) {
					return true, "grpc-status " + h.Value
				}
			}
		case *http2.DataFrame:
			return false, "the gateway answered with data"
		}
	}
}

// TestCallerLimitsAreSet: the production servers have every caller-side
// bound the suite above exercises with short values.
func TestCallerLimitsAreSet(t *testing.T) {
	d := server.DefaultHTTPTimeouts
	for name, v := range map[string]time.Duration{"read header": d.ReadHeader, "read": d.Read, "write": d.Write, "idle": d.Idle, "gRPC request": server.DefaultRequestTimeout} {
		if v <= 0 || v > 2*time.Minute {
			t.Errorf("%s timeout %v, want set and at most 2m", name, v)
		}
	}
	if d.ReadHeader > 10*time.Second {
		t.Errorf("header timeout %v: silent connections would hold -max-conns slots that long", d.ReadHeader)
	}
	if server.MaxHeaderBytes <= 0 || server.MaxHeaderBytes > 1<<20 {
		t.Errorf("MaxHeaderBytes %d", server.MaxHeaderBytes)
	}
}
