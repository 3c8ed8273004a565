package legacy

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
)

// TestConcurrentRequestsKeepTheirOwnAnswers: the shim reuses its buffers
// between requests (a pool of exchanges), so under load one request's
// question or answer must never leak into another's. Many clients send a mix
// of distinct questions, tests and malformed requests at once; every answer
// must be byte for byte the one the same request gets alone.
func TestConcurrentRequestsKeepTheirOwnAnswers(t *testing.T) {
	url := serve(t, newFakes(t).service(t), Config{})
	v10 := string(readTestdata(t, "hamta_v10.xml"))
	v11 := string(readTestdata(t, "hamta_v11.xml"))
	var requests [][]byte
	for i := range 12 {
		// Distinct korrelationsid and ärende, and a body whose length
		// differs, so that a stale buffer would show.
		id := fmt.Sprintf("KORR-%04d%s", i, strings.Repeat("x", i*37))
		requests = append(requests,
			[]byte(strings.ReplaceAll(strings.ReplaceAll(v10, "KORR-0001", id), "EKB-2025-0042", "EKB-"+id)),
			[]byte(strings.ReplaceAll(v11, "<ssbt:korrelationsid>", "<ssbt:korrelationsid>"+id)),
		)
	}
	requests = append(requests,
		[]byte(`<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><t:testaBastjanstInformation xmlns:t="http://schema.forsakringskassan.se/integration/ssbt/10"/></s:Body></s:Envelope>`),
		[]byte(strings.Replace(v10, `<ssbt:SO inkludera="true"/>`, `<ssbt:SO inkludera="yes"/>`, 1)),
		[]byte("not xml at all"),
	)
	type answer struct {
		status int
		body   []byte
	}
	alone := make([]answer, len(requests))
	for i, req := range requests {
		alone[i].status, alone[i].body = post(t, url, req)
	}
	if bytes.Equal(alone[0].body, alone[2].body) {
		t.Fatal("two distinct questions got the same answer; the test cannot tell answers apart")
	}

	const workers, rounds = 8, 6
	var wg sync.WaitGroup
	errs := make(chan string, workers*rounds*len(requests))
	for w := range workers {
		wg.Go(func() {
			for r := range rounds {
				for k := range requests {
					i := (k + w*7 + r*3) % len(requests) // each worker in its own order
					status, body := post(t, url, requests[i])
					if status != alone[i].status || !bytes.Equal(body, alone[i].body) {
						errs <- fmt.Sprintf("request %d: HTTP %d, %d bytes; alone it got HTTP %d, %d bytes", i, status, len(body), alone[i].status, len(alone[i].body))
					}
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	n := 0
	for e := range errs {
		if n++; n <= 5 {
			t.Error(e)
		}
	}
	if n > 5 {
		t.Errorf("… and %d more mismatches", n-5)
	}
	if status, _ := post(t, url, requests[0]); status != http.StatusOK {
		t.Errorf("after the load: HTTP %d", status)
	}
}
