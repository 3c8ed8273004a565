package simkit

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// TestMemo: a repeated question is answered from memory with the same
// status, headers and bytes; a different one asks the simulator; the memo
// holds at most its bound; faults still apply in front of it.
func TestMemo(t *testing.T) {
	var calls atomic.Int32
	var f Front
	f.Answer(func(w http.ResponseWriter, r *http.Request) {
		n := calls.Add(1)
		w.Header().Set("Content-Type", "text/xml")
		w.Header().Set("X-Call", string(rune('0'+n)))
		w.WriteHeader(http.StatusAccepted)
		w.Write([]byte("<svar>" + r.URL.Path + "</svar>"))
	})
	f.Memo(2)
	srv := httptest.NewServer(&f)
	defer srv.Close()
	ask := func(body string, hdr ...string) (*http.Response, string) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/af", strings.NewReader(body))
		req.Header.Set("Content-Type", "text/xml")
		if len(hdr) == 2 {
			req.Header.Set(hdr[0], hdr[1])
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		return resp, string(b)
	}
	r1, b1 := ask("<q>1</q>")
	r2, b2 := ask("<q>1</q>")
	if calls.Load() != 1 {
		t.Fatalf("%d calls for one question asked twice, want 1", calls.Load())
	}
	if r1.StatusCode != http.StatusAccepted || r2.StatusCode != r1.StatusCode || b1 != b2 || b2 != "<svar>/af</svar>" || r2.Header.Get("X-Call") != "1" {
		t.Errorf("replayed %d %q %q, first %d %q", r2.StatusCode, b2, r2.Header.Get("X-Call"), r1.StatusCode, b1)
	}
	ask("<q>2</q>")
	if calls.Load() != 2 {
		t.Fatalf("%d calls after a second question, want 2", calls.Load())
	}
	// Full at two: a third question is answered but never kept.
	ask("<q>3</q>")
	ask("<q>3</q>")
	if calls.Load() != 4 {
		t.Errorf("%d calls: a memo beyond its bound kept the third question", calls.Load())
	}
	// Faults come first: the memorised answer still waits its latency, and
	// an HTTP 500 fault is not replaced by the memorised 202.
	f.Faults().Set(Fault{Kind: FaultLatency, Latency: 100 * time.Millisecond})
	start := time.Now()
	if _, b := ask("<q>1</q>"); b != b1 || time.Since(start) < 100*time.Millisecond {
		t.Errorf("with a latency fault: %q after %v", b, time.Since(start))
	}
	f.Faults().Clear()
	if r, _ := ask("<q>1</q>", FaultHeader, string(FaultHTTP500)); r.StatusCode != http.StatusInternalServerError {
		t.Errorf("fault header: %d, want 500", r.StatusCode)
	}
	if calls.Load() != 4 {
		t.Errorf("%d calls: a faulted or memorised question reached the simulator", calls.Load())
	}
}
