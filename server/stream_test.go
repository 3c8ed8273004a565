package server_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"testing"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/encoding/protojson"

	"github.com/ssbtek/gateway/adapters/simkit"
	"github.com/ssbtek/gateway/fanout"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
)

const (
	af = ssbtekv1.Bastjanst_BASTJANST_AF
	fk = ssbtekv1.Bastjanst_BASTJANST_FK
	so = ssbtekv1.Bastjanst_BASTJANST_SO
)

// held starts the gateway with the SO and AF simulators holding their
// answers and returns the question for AF, FK and SO, and the receiver the
// test calls with each result it gets: FK answers at once; SO only once FK's
// result has reached the caller, AF only once SO's has. A gateway that
// sent the results only when all had answered would never release SO and
// AF (they would end at their deadline with 2001): the order the caller
// sees proves the streaming, whatever the machine's load.
func held(t *testing.T) (*gateway, *ssbtekv1.HamtaSammanstallningRequest, func(*ssbtekv1.BastjanstResultat)) {
	g := start(t, fanout.Config{})
	next := map[ssbtekv1.Bastjanst]func(){fk: g.env.Hold(t, so), so: g.env.Hold(t, af)}
	f := fraga(simkit.Tolvan)
	f.Bastjanster = []ssbtekv1.Bastjanst{af, fk, so}
	return g, &ssbtekv1.HamtaSammanstallningRequest{Fraga: f}, func(r *ssbtekv1.BastjanstResultat) {
		if release := next[r.GetBastjanst()]; release != nil {
			release()
		}
	}
}

type arrival struct {
	b  ssbtekv1.Bastjanst
	at time.Duration
}

func (a arrival) String() string { return fmt.Sprintf("%s@%v", a.b, a.at.Round(time.Millisecond)) }

// checkArrivals checks that the results came FK, SO, AF, each an answer,
// and the summary last: with every result again when the question asked
// for VY_FULLSTANDIG, else none (they were sent already).
func checkArrivals(t *testing.T, got []arrival, res []*ssbtekv1.BastjanstResultat, final *ssbtekv1.Sammanstallning, vy ssbtekv1.Vy) {
	t.Helper()
	t.Logf("arrivals (agency, time since asking): %v", got)
	want := []ssbtekv1.Bastjanst{fk, so, af}
	if len(got) != len(want) {
		t.Fatalf("got %d results %v, want %v", len(got), got, want)
	}
	for i := range want {
		if got[i].b != want[i] {
			t.Errorf("result %d is %v, want %v (all %v)", i, got[i].b, want[i], got)
		}
		if f := res[i].GetFel(); f != nil {
			t.Errorf("%v: %v (held until the result before it arrived: was it streamed?)", res[i].GetBastjanst(), f)
		}
	}
	if final == nil {
		t.Fatal("no final message")
	}
	switch n := len(final.GetResultat()); {
	case vy != ssbtekv1.Vy_VY_FULLSTANDIG && n != 0:
		t.Errorf("final message repeats %d results, want none with vy %v", n, vy)
	case vy == ssbtekv1.Vy_VY_FULLSTANDIG && (n != 3 || final.GetResultat()[0].GetBastjanst() != af):
		t.Errorf("final message: %d results, want all three in agency order", n)
	}
	if final.GetInkomstsammanstallning() == nil || len(final.GetInkomstsammanstallning().GetManader()) != 3 {
		t.Errorf("final message has no three-month income summary: %v", final.GetInkomstsammanstallning())
	}
}

func TestStreamGRPCDeliversEachResultAsItArrives(t *testing.T) {
	g, req, received := held(t)
	req.Vy = ssbtekv1.Vy_VY_FULLSTANDIG
	start := time.Now()
	stream, err := g.client.StreamaSammanstallning(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	var got []arrival
	var res []*ssbtekv1.BastjanstResultat
	var final *ssbtekv1.Sammanstallning
	for {
		msg, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if final != nil {
			t.Fatalf("message after the final one: %v", msg)
		}
		if r := msg.GetResultat(); r != nil {
			got = append(got, arrival{r.GetBastjanst(), time.Since(start)})
			res = append(res, r)
			received(r)
		}
		final = msg.GetSammanstallning()
	}
	checkArrivals(t, got, res, final, req.GetVy())
}

func TestStreamRESTIsNDJSONAsResultsArrive(t *testing.T) {
	g, req, received := held(t)
	body, _ := protojson.Marshal(req)
	start := time.Now()
	resp, err := g.http.Post(g.httpURL+"/v1/sammanstallning:stream", "application/json", bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	var got []arrival
	var res []*ssbtekv1.BastjanstResultat
	var final *ssbtekv1.Sammanstallning
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(nil, 4<<20)
	for sc.Scan() {
		line := sc.Bytes()
		// Every line is one JSON object {"result": ...}, nothing else.
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(line, &obj); err != nil {
			t.Fatalf("line is not JSON: %v: %.200s", err, line)
		}
		if len(obj) != 1 || obj["result"] == nil {
			t.Fatalf("line is not a result: %.300s", line)
		}
		var msg ssbtekv1.StreamaSammanstallningResponse
		if err := protojson.Unmarshal(obj["result"], &msg); err != nil {
			t.Fatalf("result does not decode: %v", err)
		}
		if r := msg.GetResultat(); r != nil {
			got = append(got, arrival{r.GetBastjanst(), time.Since(start)})
			res = append(res, r)
			received(r)
		}
		if final != nil {
			t.Fatal("line after the final one")
		}
		final = msg.GetSammanstallning()
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	checkArrivals(t, got, res, final, req.GetVy())
}

// A bad question is refused before the stream starts, with the same status
// and error body as every other REST call.
func TestStreamRefusesBadQuestion(t *testing.T) {
	g := start(t, fanout.Config{})
	f := fraga("191212121213") // bad check digit
	stream, err := g.client.StreamaSammanstallning(context.Background(), &ssbtekv1.HamtaSammanstallningRequest{Fraga: f})
	if err == nil {
		// A server stream's status comes with the first receive.
		_, err = stream.Recv()
	}
	if status.Code(err) != codes.InvalidArgument {
		t.Errorf("gRPC: %v, want INVALID_ARGUMENT", err)
	}
	var body string
	code := g.postJSON(t, "/v1/sammanstallning:stream", &ssbtekv1.HamtaSammanstallningRequest{Fraga: f}, nil, &body)
	var st struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	}
	if code != 400 || json.Unmarshal([]byte(body), &st) != nil || st.Code != int(codes.InvalidArgument) {
		t.Errorf("REST: %d %s, want 400 with a Status body", code, body)
	}
	if !bytes.Contains([]byte(st.Message), []byte("fraga.personidentitet")) {
		t.Errorf("REST message %q does not name the field", st.Message)
	}
}

func TestHamtaInkomstsammanstallningOverRESTAndGRPC(t *testing.T) {
	g := start(t, fanout.Config{})
	req := &ssbtekv1.HamtaSammanstallningRequest{Fraga: fraga(simkit.Tolvan)}
	res, err := g.client.HamtaInkomstsammanstallning(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	var body string
	if code := g.postJSON(t, "/v1/inkomstsammanstallning", req, nil, &body); code != 200 {
		t.Fatalf("REST status %d: %s", code, body)
	}
	var rest ssbtekv1.HamtaInkomstsammanstallningResponse
	if err := protojson.Unmarshal([]byte(body), &rest); err != nil {
		t.Fatal(err)
	}
	for name, r := range map[string]*ssbtekv1.HamtaInkomstsammanstallningResponse{"gRPC": res, "REST": &rest} {
		s := r.GetInkomstsammanstallning()
		if r.GetKorrelationsid() != "korr-1" {
			t.Errorf("%s: korrelationsid %q", name, r.GetKorrelationsid())
		}
		if len(s.GetManader()) != 3 || s.GetManader()[0].GetManad() != "2026-08" {
			t.Errorf("%s: months %v", name, s.GetManader())
		}
		// Only the income-paying agencies were asked, so none is missing.
		if len(s.GetEjTillfragade()) != 0 || len(s.GetSaknas()) != 0 {
			t.Errorf("%s: not asked %v, missing %v", name, s.GetEjTillfragade(), s.GetSaknas())
		}
	}
}

// The stream's path takes only POST, and says so.
func TestStreamWrongMethodIs405(t *testing.T) {
	g := start(t, fanout.Config{})
	resp, err := g.http.Get(g.httpURL + "/v1/sammanstallning:stream")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed || resp.Header.Get("Allow") != "POST" {
		t.Errorf("GET: %d, Allow %q; want 405 with Allow POST", resp.StatusCode, resp.Header.Get("Allow"))
	}
}

// One agency down: every month of the summary is incomplete and names it.
func TestInkomstsammanstallningNamesTheAgencyDown(t *testing.T) {
	g := start(t, fanout.Config{})
	g.env.Simulator(so).Faults().Set(simkit.Fault{Kind: simkit.FaultHTTP500})
	res, err := g.client.HamtaInkomstsammanstallning(context.Background(), &ssbtekv1.HamtaSammanstallningRequest{Fraga: fraga(simkit.Tolvan)})
	if err != nil {
		t.Fatal(err)
	}
	s := res.GetInkomstsammanstallning()
	if !s.GetOfullstandig() || len(s.GetSaknas()) != 1 || s.GetSaknas()[0] != so {
		t.Fatalf("summary: ofullstandig %v, saknas %v; want SO missing", s.GetOfullstandig(), s.GetSaknas())
	}
	for _, m := range s.GetManader() {
		if !m.GetOfullstandig() || len(m.GetSaknas()) != 1 || m.GetSaknas()[0] != so {
			t.Errorf("%s: ofullstandig %v, saknas %v", m.GetManad(), m.GetOfullstandig(), m.GetSaknas())
		}
	}
}
