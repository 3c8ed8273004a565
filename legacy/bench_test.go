package legacy

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"syscall"
	"testing"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/test/bufconn"
	"google.golang.org/protobuf/encoding/protojson"

	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
	"github.com/ssbtek/gateway/identity"
	"github.com/ssbtek/gateway/lookup"
	"github.com/ssbtek/gateway/server"
)

// BenchmarkHamta parses a full v10 question (with the question echoed) into
// the modern Fraga and assembles the full seven-agency answer from canned
// agency answers: the shim's own work, without agency I/O.
func BenchmarkHamta(b *testing.B) {
	raw := readTestdata(b, "hamta_v10.xml")
	_, res := benchResults(b, raw)
	b.ReportAllocs()
	b.SetBytes(int64(len(raw)))
	var enc encoder
	for b.Loop() {
		req, err := decodeRequest(raw, "text/xml; charset=utf-8", Config{}.limits())
		if err != nil {
			b.Fatal(err)
		}
		_ = req.fraga()
		enc = encoder{}
		enc.answer(req, res)
	}
	b.ReportMetric(float64(len(enc.b)), "answer-bytes")
}

// BenchmarkDecode is the question alone: envelope, contract checks, Fraga.
func BenchmarkDecode(b *testing.B) {
	raw := readTestdata(b, "hamta_v10.xml")
	b.ReportAllocs()
	b.SetBytes(int64(len(raw)))
	for b.Loop() {
		req, err := decodeRequest(raw, "text/xml; charset=utf-8", Config{}.limits())
		if err != nil {
			b.Fatal(err)
		}
		_ = req.fraga()
	}
}

// BenchmarkAnswer is the seven-agency answer alone.
func BenchmarkAnswer(b *testing.B) {
	req, res := benchResults(b, readTestdata(b, "hamta_v10.xml"))
	b.ReportAllocs()
	var enc encoder
	for b.Loop() {
		enc = encoder{}
		enc.answer(req, res)
	}
	b.SetBytes(int64(len(enc.b)))
}

func benchResults(b *testing.B, raw []byte) (*request, []*ssbtekv1.BastjanstResultat) {
	req, err := decodeRequest(raw, "text/xml", Config{}.limits())
	if err != nil {
		b.Fatal(err)
	}
	res := cannedResults(cannedRadata(b), req.fraga())
	if len(res) != 7 {
		b.Fatalf("%d results", len(res))
	}
	return req, res
}

// BenchmarkComposite is one composite request (all seven agencies, canned
// answers, no agency I/O) through the SOAP shim and through the REST API,
// in process, in the same run: the interfaces' own CPU per request
// (cpu-ns/op, user+system time of the process) side by side. The gRPC case
// goes over an in-memory connection (bufconn), so its figures hold the
// client's marshalling and HTTP/2 framing too.
func BenchmarkComposite(b *testing.B) {
	svc := newFakes(b).service(b)
	rest, err := server.NewHTTP(b.Context(), svc, server.Options{})
	if err != nil {
		b.Fatal(err)
	}
	soapBody := readTestdata(b, "hamta_v10.xml")
	restBody := []byte(`{"fraga": {"organisationsnummer": "162120001420", "ingivare": "Exempelkommunen socialnämnd",
	  "handlaggare": "HL0001", "personidentitet": "191212121212", "arendeidentitet": "EKB-2025-0042",
	  "personuppgiftsbitrade": [{"ordningsnummer": 1, "organisationsnummer": "165565866996", "namn": "Ombudet AB"}],
	  "period": {"from": "2024-12-01", "tom": "2025-02-28"}, "korrelationsid": "KORR-0001",
	  "syfte": "Beslut om eller kontroll av ekonomiskt bistånd", "lagtext": "11 kap. 11 a § socialtjänstlagen (2001:453)",
	  "bastjanstPerioder": [{"bastjanst": "BASTJANST_CSN", "period": {"from": "2024-09-01", "tom": "2025-02-28"}}]}}`)
	for _, c := range []struct {
		name, path, contentType string
		body                    []byte
		h                       http.Handler
	}{
		{"soap", Path, "text/xml; charset=utf-8", soapBody, NewHandler(svc, Config{})},
		{"rest", "/v1/sammanstallning", "application/json", restBody, rest},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			before := cpuTime(b)
			for b.Loop() {
				rec := httptest.NewRecorder()
				req := httptest.NewRequest(http.MethodPost, c.path, bytes.NewReader(c.body))
				req.Header.Set("Content-Type", c.contentType)
				c.h.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK {
					b.Fatalf("status %d: %s", rec.Code, rec.Body)
				}
			}
			b.ReportMetric(float64((cpuTime(b)-before).Nanoseconds())/float64(b.N), "cpu-ns/op")
		})
	}
	b.Run("grpc", func(b *testing.B) {
		client := benchGRPC(b, svc)
		var req ssbtekv1.HamtaSammanstallningRequest
		if err := protojson.Unmarshal(restBody, &req); err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		before := cpuTime(b)
		for b.Loop() {
			if _, err := client.HamtaSammanstallning(b.Context(), &req); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64((cpuTime(b)-before).Nanoseconds())/float64(b.N), "cpu-ns/op")
	})
}

// benchGRPC serves svc's gRPC API on an in-memory listener, as the plaintext
// development mode does (no TLS to measure), and returns a client.
func benchGRPC(b *testing.B, svc *lookup.Service) ssbtekv1.SammansattBastjanstServiceClient {
	g, err := server.NewGRPC(svc, server.Options{DevCaller: &identity.Caller{Organisationsnummer: "162120001420", Development: true}})
	if err != nil {
		b.Fatal(err)
	}
	ln := bufconn.Listen(1 << 20)
	go g.Serve(ln)
	b.Cleanup(g.Stop)
	conn, err := grpc.NewClient("passthrough:///bufconn",
		grpc.WithContextDialer(func(ctx context.Context, _ string) (net.Conn, error) { return ln.DialContext(ctx) }),
		grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { conn.Close() })
	return ssbtekv1.NewSammansattBastjanstServiceClient(conn)
}

// cpuTime is the process's user and system CPU time so far.
func cpuTime(b testing.TB) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
