package adaptertest

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"google.golang.org/protobuf/proto"

	"github.com/ssbtek/gateway/adapters"
	"github.com/ssbtek/gateway/adapters/simkit"
	"github.com/ssbtek/gateway/bastjanst"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
)

// Conformance checks, over a real loopback server with the agency's own
// simulator, what every adapter owes the fan-out core whatever its protocol:
//
//   - Tolvan gets an answer with the agency's raw payload and no error;
//   - Felperson gets the agency's native error (kalla BT, its own code and
//     text), kept as raw payload, never a Go error;
//   - a valid but unknown person gets no error (UPPGIFTSAKNAS or the
//     agency's empty answer);
//   - an answer that is merely late is the same answer;
//   - a hang, or the slow test person, ends at the caller's deadline with 2001; HTTP 500 and an
//     unreachable agency give 2002; malformed, truncated and oversized
//     answers give 2003; the simulator's fault header is honoured;
//   - an injected SOAP fault (for a JSON agency its JSON error answer) is
//     the agency's own error, kalla BT with the fault's text, kept as raw
//     payload, never a Go error;
//   - Testa passes against a healthy simulator and fails with 2002/2003;
//   - no error text carries a personnummer;
//   - the adapter is safe for concurrent use.
func Conformance(t *testing.T, a adapters.Agency) {
	t.Run("conformance", func(t *testing.T) {
		t.Run("Tolvan", func(t *testing.T) { conformTolvan(t, a) })
		t.Run("Felperson", func(t *testing.T) { conformFelperson(t, a) })
		t.Run("Nobody", func(t *testing.T) { conformNobody(t, a) })
		t.Run("faults", func(t *testing.T) { conformFaults(t, a) })
		t.Run("soapfault", func(t *testing.T) { conformSOAPFault(t, a) })
		t.Run("Langsam", func(t *testing.T) { conformLangsam(t, a) })
		t.Run("latency", func(t *testing.T) { conformLatency(t, a) })
		t.Run("fault header", func(t *testing.T) { conformFaultHeader(t, a) })
		t.Run("unreachable", func(t *testing.T) { conformUnreachable(t, a) })
		t.Run("Testa", func(t *testing.T) { conformTesta(t, a) })
		t.Run("concurrent", func(t *testing.T) { conformConcurrent(t, a) })
	})
}

// hamta asks a fresh simulator (set up by setup, if given) about pnr.
func hamta(t *testing.T, a adapters.Agency, ctx context.Context, pnr string, setup func(adapters.Simulator)) (*ssbtekv1.BastjanstResultat, error) {
	t.Helper()
	sim := a.NewSimulator()
	if setup != nil {
		setup(sim)
	}
	return Serve(t, a, sim).Adapter(a).Hamta(ctx, Fraga(pnr), nil)
}

func conformTolvan(t *testing.T, a adapters.Agency) {
	res, err := hamta(t, a, t.Context(), simkit.Tolvan, nil)
	if err != nil {
		t.Fatalf("Hamta: %v", err)
	}
	if res.GetBastjanst() != a.Bastjanst {
		t.Errorf("bastjanst = %v, want %v", res.GetBastjanst(), a.Bastjanst)
	}
	if res.GetFel() != nil {
		t.Errorf("fel = %v, want none", res.GetFel())
	}
	if res.GetStatus().GetKod() == ssbtekv1.StatusKod_STATUS_KOD_UNSPECIFIED {
		t.Error("no status")
	}
	for _, rd := range raws(res) {
		if len(rd.GetInnehall()) == 0 || rd.GetMediaType() == "" {
			t.Errorf("raw payload not kept: %d bytes, media type %q", len(rd.GetInnehall()), rd.GetMediaType())
		}
	}
}

// raws are a result's raw answers: its own, or for an agency answering in
// parts each part's (at least one, so that a result without any fails).
func raws(res *ssbtekv1.BastjanstResultat) []*ssbtekv1.Radata {
	if len(res.GetDelsvar()) == 0 {
		return []*ssbtekv1.Radata{res.GetRadata()}
	}
	var out []*ssbtekv1.Radata
	for _, d := range res.GetDelsvar() {
		out = append(out, d.GetRadata())
	}
	return out
}

func conformFelperson(t *testing.T, a adapters.Agency) {
	res, err := hamta(t, a, t.Context(), simkit.Felperson, nil)
	if err != nil {
		t.Fatalf("Hamta: %v (a native error is a result, not a Go error)", err)
	}
	fel := res.GetFel()
	if fel.GetKalla() != ssbtekv1.Kalla_KALLA_BT || fel.GetFelkod() == "" || fel.GetFelmeddelande() == "" {
		t.Errorf("fel = %v, want kalla BT with the agency's code and text", fel)
	}
	for _, rd := range raws(res) {
		if len(rd.GetInnehall()) == 0 {
			t.Error("the native error is not kept as raw payload")
		}
	}
}

func conformNobody(t *testing.T, a adapters.Agency) {
	res, err := hamta(t, a, t.Context(), Nobody, nil)
	if err != nil {
		t.Fatalf("Hamta: %v", err)
	}
	if res.GetFel() != nil {
		t.Errorf("fel = %v; an unknown person is not an error", res.GetFel())
	}
	switch k := res.GetStatus().GetKod(); k {
	case ssbtekv1.StatusKod_STATUS_KOD_UPPGIFTSAKNAS, ssbtekv1.StatusKod_STATUS_KOD_OK:
	default:
		t.Errorf("status = %v, want UPPGIFTSAKNAS (or OK with the agency's empty answer)", k)
	}
}

func conformFaults(t *testing.T, a adapters.Agency) {
	for _, tt := range []struct {
		fault  simkit.FaultKind
		felkod string
	}{
		{simkit.FaultHang, bastjanst.FelkodTimeout},
		{simkit.FaultHTTP500, bastjanst.FelkodOtillganglig},
		{simkit.FaultMalformed, bastjanst.FelkodOlasbart},
		{simkit.FaultTruncated, bastjanst.FelkodOlasbart},
		{simkit.FaultOversized, bastjanst.FelkodOlasbart},
	} {
		t.Run(string(tt.fault), func(t *testing.T) {
			// Only the hang waits for the deadline; the others get time to
			// stream (the oversized answer) even under the race detector.
			d := 10 * time.Second
			if tt.fault == simkit.FaultHang {
				d = 200 * time.Millisecond
			}
			start := time.Now()
			_, err := hamta(t, a, Deadline(t, d), simkit.Tolvan, func(s adapters.Simulator) {
				s.Faults().Set(simkit.Fault{Kind: tt.fault})
			})
			if err == nil {
				t.Fatal("Hamta succeeded despite the fault")
			}
			if tt.fault == simkit.FaultHang {
				if !errors.Is(err, context.DeadlineExceeded) {
					t.Errorf("err = %v, want the caller's deadline", err)
				}
				if el := time.Since(start); el > d+2*time.Second {
					t.Errorf("the hang ended %v after the call began, deadline %v", el, d)
				}
			}
			if got := Felkod(err); got != tt.felkod {
				t.Errorf("felkod = %s, want %s (err %v)", got, tt.felkod, err)
			}
			noPersonnummer(t, err)
		})
	}
}

// conformSOAPFault: a fault the agency's service answers with is its word
// on the question (adapters.FaultResult; FK's LefiFelsvar), an answer with
// kalla BT, not a failure of the call.
func conformSOAPFault(t *testing.T, a adapters.Agency) {
	res, err := hamta(t, a, t.Context(), simkit.Tolvan, func(s adapters.Simulator) {
		s.Faults().Set(simkit.Fault{Kind: simkit.FaultSOAPFault})
	})
	if err != nil {
		t.Fatalf("Hamta: %v (the agency's fault is a result, not a Go error)", err)
	}
	fel := res.GetFel()
	if fel.GetKalla() != ssbtekv1.Kalla_KALLA_BT || fel.GetFelkod() == "" || fel.GetFelmeddelande() != simkit.SOAPFault.String {
		t.Errorf("fel = %v, want kalla BT with a code and the text %q", fel, simkit.SOAPFault.String)
	}
	if res.GetBastjanst() != a.Bastjanst {
		t.Errorf("bastjanst = %v, want %v", res.GetBastjanst(), a.Bastjanst)
	}
	for _, rd := range raws(res) {
		if !strings.Contains(string(rd.GetInnehall()), simkit.SOAPFault.String) {
			t.Errorf("the fault is not kept as raw payload: %q", rd.GetInnehall())
		}
	}
}

// conformLangsam: the slow test person is slow in the simulator itself, not
// through an injected fault; the caller's deadline still ends the call.
func conformLangsam(t *testing.T, a adapters.Agency) {
	const d = 200 * time.Millisecond
	start := time.Now()
	_, err := hamta(t, a, Deadline(t, d), simkit.Langsam, nil)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want the caller's deadline", err)
	}
	if el := time.Since(start); el > d+2*time.Second {
		t.Errorf("the call ended %v after it began, deadline %v", el, d)
	}
	if got := Felkod(err); got != bastjanst.FelkodTimeout {
		t.Errorf("felkod = %s, want %s", got, bastjanst.FelkodTimeout)
	}
	for _, pnr := range []string{simkit.Langsam, simkit.Langsam[2:]} {
		if strings.Contains(err.Error(), pnr) {
			t.Errorf("error text holds a personnummer: %v", err)
		}
	}
}

// conformLatency: injected latency short of any deadline changes nothing
// but the time the answer takes.
func conformLatency(t *testing.T, a adapters.Agency) {
	want, err := hamta(t, a, t.Context(), simkit.Tolvan, nil)
	if err != nil {
		t.Fatalf("Hamta: %v", err)
	}
	got, err := hamta(t, a, t.Context(), simkit.Tolvan, func(s adapters.Simulator) {
		s.Faults().Set(simkit.Fault{Kind: simkit.FaultLatency, Latency: 50 * time.Millisecond})
	})
	if err != nil {
		t.Fatalf("Hamta with 50 ms latency: %v", err)
	}
	want.Latens, got.Latens = nil, nil
	if !proto.Equal(got, want) {
		t.Errorf("with 50 ms latency the answer differs:\n got %v\nwant %v", got, want)
	}
}

func conformFaultHeader(t *testing.T, a adapters.Agency) {
	// A chaos client picks the fault per request; the simulator honours it.
	sim := a.NewSimulator()
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Header.Set(simkit.FaultHeader, string(simkit.FaultHTTP500))
		sim.ServeHTTP(w, r)
	})
	_, err := Serve(t, a, h).Adapter(a).Hamta(t.Context(), Fraga(simkit.Tolvan), nil)
	if got := Felkod(err); got != bastjanst.FelkodOtillganglig {
		t.Errorf("felkod = %s, want %s (err %v)", got, bastjanst.FelkodOtillganglig, err)
	}
}

func conformUnreachable(t *testing.T, a adapters.Agency) {
	t.Run("404", func(t *testing.T) {
		_, err := Serve(t, a, http.NotFoundHandler()).Adapter(a).Hamta(t.Context(), Fraga(simkit.Tolvan), nil)
		if got := Felkod(err); got != bastjanst.FelkodOtillganglig {
			t.Errorf("felkod = %s, want %s (err %v)", got, bastjanst.FelkodOtillganglig, err)
		}
	})
	t.Run("closed port", func(t *testing.T) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		url := a.URL("http://" + ln.Addr().String())
		ln.Close()
		tr := &http.Transport{}
		defer tr.CloseIdleConnections()
		ad := a.New(adapters.Config{URL: url, HTTP: &http.Client{Transport: tr}})
		_, err = ad.Hamta(t.Context(), Fraga(simkit.Tolvan), nil)
		if got := Felkod(err); got != bastjanst.FelkodOtillganglig {
			t.Errorf("felkod = %s, want %s (err %v)", got, bastjanst.FelkodOtillganglig, err)
		}
		noPersonnummer(t, err)
	})
}

func conformTesta(t *testing.T, a adapters.Agency) {
	sim := a.NewSimulator()
	ad := Serve(t, a, sim).Adapter(a)
	if err := ad.Testa(t.Context()); err != nil {
		t.Errorf("Testa against a healthy simulator: %v", err)
	}
	for fault, want := range map[simkit.FaultKind]string{
		simkit.FaultHTTP500:   bastjanst.FelkodOtillganglig,
		simkit.FaultSOAPFault: bastjanst.FelkodOtillganglig, // a service that faults cannot answer
		simkit.FaultMalformed: bastjanst.FelkodOlasbart,
	} {
		sim.Faults().Set(simkit.Fault{Kind: fault})
		if got := Felkod(ad.Testa(t.Context())); got != want {
			t.Errorf("Testa with %s: felkod = %s, want %s", fault, got, want)
		}
	}
}

func conformConcurrent(t *testing.T, a adapters.Agency) {
	ad := Serve(t, a, a.NewSimulator()).Adapter(a)
	persons := []string{simkit.Tolvan, simkit.Felperson, Nobody, simkit.Skyddad}
	var wg sync.WaitGroup
	errs := make(chan error, 4*len(persons))
	for range 4 {
		for _, pnr := range persons {
			wg.Go(func() {
				if _, err := ad.Hamta(t.Context(), Fraga(pnr), nil); err != nil {
					errs <- err
				}
			})
		}
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Errorf("concurrent Hamta: %v", err)
	}
}

// noPersonnummer fails the test when an error text names a test person:
// errors reach application logs, personnummer must not.
func noPersonnummer(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		return
	}
	for _, pnr := range []string{simkit.Tolvan, simkit.Tolvan[2:], Nobody} {
		if strings.Contains(err.Error(), pnr) {
			t.Errorf("error text holds a personnummer: %v", err)
		}
	}
}
