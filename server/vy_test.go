package server_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/encoding/protojson"

	"github.com/ssbtek/gateway/adapters/simkit"
	"github.com/ssbtek/gateway/bastjanst"
	"github.com/ssbtek/gateway/fanout"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
)

// maxDefaultAnswer is what Tolvan's default REST answer must stay under:
// typed content and the income summary, without the agencies' raw payloads.
const maxDefaultAnswer = 30 << 10

// The default view leaves the raw payloads out on REST and gRPC; asked
// for, they are there byte for byte as the simulators sent them.
func TestVyLeavesRawPayloadsOutUnlessAsked(t *testing.T) {
	g := start(t, fanout.Config{})
	g.env.RecordAnswers()
	post := func(vy ssbtekv1.Vy) []byte {
		t.Helper()
		var body string
		req, _ := protojson.Marshal(&ssbtekv1.HamtaSammanstallningRequest{Fraga: fraga(simkit.Tolvan), Vy: vy})
		if code := g.postJSON(t, "/v1/sammanstallning", string(req), nil, &body); code != http.StatusOK {
			t.Fatalf("vy %v: status %d %s", vy, code, body)
		}
		return []byte(body)
	}
	def := post(ssbtekv1.Vy_VY_UNSPECIFIED)
	t.Logf("Tolvan's REST answer: %d bytes by default", len(def))
	if len(def) >= maxDefaultAnswer {
		t.Errorf("default answer %d bytes, want under %d", len(def), maxDefaultAnswer)
	}
	if bytes.Contains(def, []byte(`"radata"`)) {
		t.Error("default answer carries raw payloads")
	}
	var sam ssbtekv1.HamtaSammanstallningResponse
	if err := protojson.Unmarshal(def, &sam); err != nil {
		t.Fatal(err)
	}
	if n := len(sam.GetSammanstallning().GetResultat()); n != 7 || sam.GetSammanstallning().GetInkomstsammanstallning() == nil {
		t.Errorf("default answer: %d results, income summary %v; want 7 and the summary", n, sam.GetSammanstallning().GetInkomstsammanstallning() != nil)
	}
	for _, r := range sam.GetSammanstallning().GetResultat() {
		if r.GetBastjanst() != ssbtekv1.Bastjanst_BASTJANST_MIV && r.GetInnehall() == nil {
			t.Errorf("%s: no typed content in the default view", bastjanst.Kod(r.GetBastjanst()))
		}
	}

	for _, vy := range []ssbtekv1.Vy{ssbtekv1.Vy_VY_RADATA, ssbtekv1.Vy_VY_FULLSTANDIG} {
		full := post(vy)
		t.Logf("vy %v: %d bytes", vy, len(full))
		var res ssbtekv1.HamtaSammanstallningResponse
		if err := protojson.Unmarshal(full, &res); err != nil {
			t.Fatal(err)
		}
		checkRadata(t, g, "REST "+vy.String(), res.GetSammanstallning().GetResultat())
	}
	grpcRes, err := g.client.HamtaSammanstallning(context.Background(), &ssbtekv1.HamtaSammanstallningRequest{Fraga: fraga(simkit.Tolvan), Vy: ssbtekv1.Vy_VY_RADATA})
	if err != nil {
		t.Fatal(err)
	}
	checkRadata(t, g, "gRPC", grpcRes.GetSammanstallning().GetResultat())
	grpcRes, err = g.client.HamtaSammanstallning(context.Background(), &ssbtekv1.HamtaSammanstallningRequest{Fraga: fraga(simkit.Tolvan)})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range grpcRes.GetSammanstallning().GetResultat() {
		if hasRadata(r) {
			t.Errorf("gRPC default view: %s carries its raw payload", bastjanst.Kod(r.GetBastjanst()))
		}
	}

	// One agency's call takes the view too.
	one, err := g.client.HamtaBeskattning(context.Background(), &ssbtekv1.HamtaBastjanstRequest{Fraga: fraga(simkit.Tolvan)})
	if err != nil || hasRadata(one.GetResultat()) || one.GetResultat().GetSkv() == nil {
		t.Errorf("HamtaBeskattning default view: %v, %v; want typed content without raw payload", one, err)
	}
	one, err = g.client.HamtaBeskattning(context.Background(), &ssbtekv1.HamtaBastjanstRequest{Fraga: fraga(simkit.Tolvan), Vy: ssbtekv1.Vy_VY_RADATA})
	if err != nil {
		t.Fatal(err)
	}
	checkRadata(t, g, "HamtaBeskattning", []*ssbtekv1.BastjanstResultat{one.GetResultat()})
}

// checkRadata checks that every result carries its agency's answer exactly
// as the simulator sent it.
func checkRadata(t *testing.T, g *gateway, name string, res []*ssbtekv1.BastjanstResultat) {
	t.Helper()
	if len(res) == 0 {
		t.Errorf("%s: no results", name)
	}
	for _, r := range res {
		b := r.GetBastjanst()
		want := g.env.LastAnswer(b)
		got := [][]byte{r.GetRadata().GetInnehall()}
		if len(r.GetDelsvar()) > 0 {
			// An agency asked in parts: each part has its own answer; the
			// simulator's last one is one of them.
			got = got[:0]
			for _, d := range r.GetDelsvar() {
				if len(d.GetRadata().GetInnehall()) == 0 {
					t.Errorf("%s %s part %s: no raw payload", name, bastjanst.Kod(b), d.GetNamn())
				}
				got = append(got, d.GetRadata().GetInnehall())
			}
		}
		if len(want) == 0 || !slices.ContainsFunc(got, func(g []byte) bool { return bytes.Equal(g, want) }) {
			t.Errorf("%s %s: no raw payload equal to the %d bytes the simulator sent", name, bastjanst.Kod(b), len(want))
		}
	}
}

// The stream takes the view: results without raw payloads and a last
// message without the results unless asked, over gRPC and REST.
func TestStreamVy(t *testing.T) {
	g := start(t, fanout.Config{})
	for _, tt := range []struct {
		vy              ssbtekv1.Vy
		radata, repeats bool
	}{
		{ssbtekv1.Vy_VY_UNSPECIFIED, false, false},
		{ssbtekv1.Vy_VY_BAS, false, false},
		{ssbtekv1.Vy_VY_RADATA, true, false},
		{ssbtekv1.Vy_VY_FULLSTANDIG, true, true},
	} {
		req := &ssbtekv1.HamtaSammanstallningRequest{Fraga: fraga(simkit.Tolvan), Vy: tt.vy}
		check := func(iface string, msgs []*ssbtekv1.StreamaSammanstallningResponse, size int) {
			t.Helper()
			t.Logf("%s %v: %d messages, %d bytes", iface, tt.vy, len(msgs), size)
			if len(msgs) != 8 {
				t.Fatalf("%s %v: %d messages, want 7 results and the summary", iface, tt.vy, len(msgs))
			}
			for _, m := range msgs[:7] {
				if r := m.GetResultat(); r == nil || hasRadata(r) != tt.radata {
					t.Errorf("%s %v: result %v with raw payload %v, want %v", iface, tt.vy, bastjanst.Kod(r.GetBastjanst()), hasRadata(r), tt.radata)
				}
			}
			end := msgs[7].GetSammanstallning()
			if end == nil || end.GetInkomstsammanstallning() == nil || end.GetKorrelationsid() != "korr-1" || (len(end.GetResultat()) == 7) != tt.repeats || (!tt.repeats && len(end.GetResultat()) != 0) {
				t.Errorf("%s %v: last message with %d results, summary %v, korrelationsid %q; want repeated %v",
					iface, tt.vy, len(end.GetResultat()), end.GetInkomstsammanstallning() != nil, end.GetKorrelationsid(), tt.repeats)
			}
		}
		stream, err := g.client.StreamaSammanstallning(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		var msgs []*ssbtekv1.StreamaSammanstallningResponse
		size := 0
		for {
			m, err := stream.Recv()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			msgs = append(msgs, m)
			b, _ := protojson.Marshal(m)
			size += len(b)
		}
		check("gRPC", msgs, size)

		body, _ := protojson.Marshal(req)
		resp, err := g.http.Post(g.httpURL+"/v1/sammanstallning:stream", "application/json", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		if ct := resp.Header.Get("Content-Type"); ct != "application/x-ndjson" {
			t.Errorf("REST stream Content-Type %q, want application/x-ndjson", ct)
		}
		msgs, size = nil, 0
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(nil, 4<<20)
		for sc.Scan() {
			size += len(sc.Bytes()) + 1
			var line struct {
				Result json.RawMessage `json:"result"`
			}
			var m ssbtekv1.StreamaSammanstallningResponse
			if err := json.Unmarshal(sc.Bytes(), &line); err != nil || protojson.Unmarshal(line.Result, &m) != nil {
				t.Fatalf("REST line %.200s", sc.Bytes())
			}
			msgs = append(msgs, &m)
		}
		resp.Body.Close()
		check("REST", msgs, size)
	}
}

// A body the REST decoder refuses names each bad field with its fix.
func TestRESTErrorsSayHowToFix(t *testing.T) {
	g := start(t, fanout.Config{})
	fragaJSON, _ := protojson.Marshal(fraga(simkit.Tolvan))
	for _, tt := range []struct {
		name, path, body string
		want             []string
	}{
		{"agencies beside fraga", "/v1/sammanstallning", `{"fraga":` + string(fragaJSON) + `,"bastjanster":["BASTJANST_FK"]}`,
			[]string{`"field":"bastjanster"`, "fraga.bastjanster"}},
		{"period beside fraga", "/v1/beskattning", `{"fraga":` + string(fragaJSON) + `,"period":{}}`,
			[]string{`"field":"period"`, "fraga.period"}},
		{"bad enum", "/v1/sammanstallning", `{"fraga":` + strings.Replace(string(fragaJSON), `"personidentitet"`, `"bastjanster":["FK"],"personidentitet"`, 1) + `}`,
			[]string{`"field":"fraga.bastjanster[0]"`, `ogiltigt värde \"FK\"`, "BASTJANST_AF", "BASTJANST_MIV"}},
		{"bad vy", "/v1/sammanstallning:stream", `{"fraga":` + string(fragaJSON) + `,"vy":"ALLT"}`,
			[]string{`"field":"vy"`, "VY_BAS, VY_RADATA, VY_FULLSTANDIG"}},
		{"unknown everywhere", "/v1/sammanstallning", `{"fraga":` + string(fragaJSON) + `,"nosuchfield":1}`,
			[]string{`"field":"nosuchfield"`, `okänt fält"`}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var body string
			code := g.postJSON(t, tt.path, tt.body, nil, &body)
			t.Logf("%d %s", code, body)
			compact := strings.ReplaceAll(body, `": "`, `":"`)
			if code != http.StatusBadRequest || !strings.Contains(compact, `"VALIDERINGSFEL"`) {
				t.Errorf("status %d %s, want 400 VALIDERINGSFEL", code, body)
			}
			for _, w := range tt.want {
				if !strings.Contains(compact, w) {
					t.Errorf("answer %s lacks %s", body, w)
				}
			}
		})
	}
}

// Over gRPC an enum number the proto does not define is refused naming the
// values it takes.
func TestGRPCEnumErrorsListValidValues(t *testing.T) {
	g := start(t, fanout.Config{})
	f := fraga(simkit.Tolvan)
	f.Bastjanster = []ssbtekv1.Bastjanst{ssbtekv1.Bastjanst(42)}
	for _, tt := range []struct {
		req  *ssbtekv1.HamtaSammanstallningRequest
		want string
	}{
		{&ssbtekv1.HamtaSammanstallningRequest{Fraga: fraga(simkit.Tolvan), Vy: 99}, "vy: är inget känt värde; giltiga värden: VY_BAS, VY_RADATA, VY_FULLSTANDIG"},
		{&ssbtekv1.HamtaSammanstallningRequest{Fraga: f}, "giltiga värden: BASTJANST_AF, BASTJANST_CSN, BASTJANST_FK, BASTJANST_SKV, BASTJANST_SO, BASTJANST_TNS, BASTJANST_MIV"},
	} {
		_, err := g.client.HamtaSammanstallning(context.Background(), tt.req)
		if st, _ := status.FromError(err); st.Code() != codes.InvalidArgument || !strings.Contains(st.Message(), tt.want) {
			t.Errorf("gRPC: %v, want INVALID_ARGUMENT with %q", err, tt.want)
		}
	}
}

// hasRadata reports whether r carries a raw payload, its own or a part's.
func hasRadata(r *ssbtekv1.BastjanstResultat) bool {
	if r.GetRadata() != nil {
		return true
	}
	for _, d := range r.GetDelsvar() {
		if d.GetRadata() != nil {
			return true
		}
	}
	return false
}
