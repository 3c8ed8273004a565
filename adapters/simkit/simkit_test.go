package simkit

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ssbtek/gateway/adapters/soap"
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
	if _, body, _ := post(context.Background(), "oversized"); len(body) < OversizedBytes {
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

// echoServer is a fault injector in front of a handler answering body, as
// a simulator would, with the fault f set.
func echoServer(t *testing.T, f Fault, contentType, body string) *httptest.Server {
	t.Helper()
	var in Injector
	in.Set(f)
	srv := httptest.NewServer(in.Wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", contentType)
		io.WriteString(w, body)
	})))
	t.Cleanup(srv.Close)
	return srv
}

// ask posts a question of the given media type to url and reads the answer.
func ask(t *testing.T, url, contentType string) (*http.Response, []byte, error) {
	t.Helper()
	tr := &http.Transport{}
	t.Cleanup(tr.CloseIdleConnections)
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, url, strings.NewReader("fråga"))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", contentType)
	resp, err := (&http.Client{Transport: tr}).Do(req)
	if err != nil {
		t.Fatalf("POST: %v", err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp, b, err
}

// The truncated answer promises its whole length, sends exactly half of the
// real body, and drops the connection, whatever the answer's size: the
// small ones too, which a server's write buffer would otherwise swallow.
func TestTruncated(t *testing.T) {
	for _, size := range []int{40, 10_000} {
		t.Run(strconv.Itoa(size), func(t *testing.T) {
			want := strings.Repeat("x", size)
			srv := echoServer(t, Fault{Kind: FaultTruncated}, soap.ContentType, want)
			resp, body, err := ask(t, srv.URL, soap.ContentType)
			if !errors.Is(err, io.ErrUnexpectedEOF) {
				t.Errorf("reading the body: %v, want an unexpected EOF", err)
			}
			if resp.ContentLength != int64(size) {
				t.Errorf("Content-Length %d, want the whole answer's %d", resp.ContentLength, size)
			}
			if string(body) != want[:size/2] {
				t.Errorf("got %d bytes, want the first half, %d", len(body), size/2)
			}
			if resp.Header.Get("Content-Type") != soap.ContentType {
				t.Errorf("Content-Type %q, want the real answer's", resp.Header.Get("Content-Type"))
			}
		})
	}
}

// The soapfault injection answers in the question's protocol: a SOAP 1.1
// fault for SOAP, LEFI's JSON error object for JSON; both with HTTP 500.
func TestSOAPFault(t *testing.T) {
	srv := echoServer(t, Fault{Kind: FaultSOAPFault}, soap.ContentType, "unused")
	t.Run("SOAP", func(t *testing.T) {
		resp, body, err := ask(t, srv.URL, soap.ContentType)
		if err != nil || resp.StatusCode != http.StatusInternalServerError {
			t.Fatalf("status %d, %v; want 500", resp.StatusCode, err)
		}
		env, err := soap.ParseAs(body, resp.Header.Get("Content-Type"))
		if err != nil {
			t.Fatalf("not a SOAP envelope: %v\n%s", err, body)
		}
		if env.Fault == nil || env.Fault.Code != SOAPFault.Code || env.Fault.String != SOAPFault.String {
			t.Errorf("fault = %v, want %v", env.Fault, SOAPFault)
		}
	})
	t.Run("JSON", func(t *testing.T) {
		resp, body, err := ask(t, srv.URL, "application/json; charset=utf-8")
		if err != nil || resp.StatusCode != http.StatusInternalServerError {
			t.Fatalf("status %d, %v; want 500", resp.StatusCode, err)
		}
		var felsvar struct{ Meddelande, Timestamp string }
		if err := json.Unmarshal(body, &felsvar); err != nil || felsvar.Meddelande != SOAPFault.String || felsvar.Timestamp == "" {
			t.Errorf("answer %s (%v), want a JSON error object with meddelande %q", body, err, SOAPFault.String)
		}
	})
}

// The oversized answer is at least OversizedBytes, in the question's
// protocol, and streamed: the server allocates a small part of it.
func TestOversized(t *testing.T) {
	srv := echoServer(t, Fault{Kind: FaultOversized}, soap.ContentType, "unused")
	for _, tt := range []struct{ ask, answer, prefix string }{
		{soap.ContentType, soap.ContentType, "<soap:Envelope"},
		{"application/json", "application/json", `{"x":"`},
	} {
		t.Run(tt.ask, func(t *testing.T) {
			tr := &http.Transport{}
			defer tr.CloseIdleConnections()
			req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, srv.URL, strings.NewReader("fråga"))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Content-Type", tt.ask)
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			resp, err := (&http.Client{Transport: tr}).Do(req)
			if err != nil {
				t.Fatal(err)
			}
			head := make([]byte, len(tt.prefix))
			if _, err := io.ReadFull(resp.Body, head); err != nil || string(head) != tt.prefix {
				t.Errorf("answer begins %q (%v), want %q", head, err, tt.prefix)
			}
			n, err := io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			runtime.ReadMemStats(&after)
			if err != nil || n+int64(len(head)) < OversizedBytes {
				t.Errorf("%d bytes (%v), want at least %d", n+int64(len(head)), err, OversizedBytes)
			}
			if ct := resp.Header.Get("Content-Type"); ct != tt.answer {
				t.Errorf("Content-Type %q, want %q", ct, tt.answer)
			}
			// Client and server share this process: both together allocate
			// far less than the answer, so neither held it whole.
			if alloc := after.TotalAlloc - before.TotalAlloc; alloc > OversizedBytes/8 {
				t.Errorf("%d bytes allocated for a %d-byte answer: it was built in memory", alloc, OversizedBytes)
			}
		})
	}
}
