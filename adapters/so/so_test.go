package so

import (
	"bytes"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"google.golang.org/protobuf/encoding/prototext"
	"google.golang.org/protobuf/proto"

	"github.com/ssbtek/gateway/adapters/radata"
	"github.com/ssbtek/gateway/adapters/simkit"
	"github.com/ssbtek/gateway/adapters/soap"
	"github.com/ssbtek/gateway/bastjanst"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
	"github.com/ssbtek/gateway/internal/adaptertest"
)

type utb = ssbtekv1.Arbetsloshetsersattning_Utbetalning

func ore(n int64) *int64 { return &n }

// payment is one typed payment: the net figures in öre, days in hundredths.
func payment(akassa, datum string, efterSkatt, efterAvdrag, dagar int64, from, tom string) *utb {
	return &utb{
		Akassa: akassa, Utbetalningsdatum: datum, From: from, Tom: tom,
		NettoEfterSkatt: (efterSkatt + 50) / 100, Dagar: int32(dagar / 100),
		NettoEfterSkattOre: ore(efterSkatt), NettoEfterAvdragOre: ore(efterAvdrag), AvdragOre: ore(efterSkatt - efterAvdrag),
		ErsattningsdagarHundradelar: ore(dagar),
	}
}

// typed is the answer with kassor, their payments also in the flat list.
func typed(kassor ...*ssbtekv1.Akassa) *ssbtekv1.Arbetsloshetsersattning {
	out := &ssbtekv1.Arbetsloshetsersattning{Akassor: kassor}
	for _, k := range kassor {
		for _, u := range k.GetUtbetalningar() {
			out.Utbetalningar = append(out.Utbetalningar, proto.CloneOf(u))
		}
	}
	return out
}

// Typed content per test person with SO data, for the standard question's
// period (2026-01-01..2026-03-31): payments outside it are not sent.
var (
	tolvanTyped = typed(&ssbtekv1.Akassa{
		Namn: "Akademikernas a-kassa", Status: "OK",
		Utbetalningar: []*utb{
			payment("Akademikernas a-kassa", "2026-02-10", 941650, 921650, 2000, "2026-01-05", "2026-02-01"),
			payment("Akademikernas a-kassa", "2026-03-10", 941600, 921600, 2000, "2026-02-02", "2026-03-01"),
		},
		BeslutOmRattTillErsattning: "2026-01-20", AnsokanOmUtbetalningInlamnad: proto.Bool(true),
	}, &ssbtekv1.Akassa{Namn: "Unionens arbetslöshetskassa", Status: "OK"})
	jobbsokareTyped = typed(&ssbtekv1.Akassa{
		Namn: "Byggnadsarbetarnas a-kassa", Status: "OK",
		Utbetalningar: []*utb{
			payment("Byggnadsarbetarnas a-kassa", "2026-03-13", 781200, 781200, 1700, "2026-02-09", "2026-03-08"),
		},
		AnsokanOmUtbetalningInlamnad: proto.Bool(true),
	})
	skyddadTyped = typed(&ssbtekv1.Akassa{
		Namn: "Kommunalarbetarnas a-kassa", Status: "OK",
		Utbetalningar: []*utb{
			payment("Kommunalarbetarnas a-kassa", "2026-03-12", 612000, 597000, 1500, "2026-02-09", "2026-03-01"),
		},
	})
)

func TestTestPersons(t *testing.T) {
	tests := []struct {
		name  string
		pnr   string
		kod   ssbtekv1.StatusKod
		typed *ssbtekv1.Arbetsloshetsersattning // nil: no typed content
		fel   *ssbtekv1.Fel
	}{
		{"Tolvan", simkit.Tolvan, ssbtekv1.StatusKod_STATUS_KOD_OK, tolvanTyped, nil},
		{"Jobbsokare", simkit.Jobbsokare, ssbtekv1.StatusKod_STATUS_KOD_OK, jobbsokareTyped, nil},
		// INT014 has no protection flag: data, and nothing to mark it by.
		{"Skyddad", simkit.Skyddad, ssbtekv1.StatusKod_STATUS_KOD_OK, skyddadTyped, nil},
		{"Nyanland", simkit.Nyanland, ssbtekv1.StatusKod_STATUS_KOD_UPPGIFTSAKNAS, nil, nil},
		{"Student", simkit.Student, ssbtekv1.StatusKod_STATUS_KOD_UPPGIFTSAKNAS, nil, nil},
		{"Pensionar", simkit.Pensionar, ssbtekv1.StatusKod_STATUS_KOD_UPPGIFTSAKNAS, nil, nil},
		{"Samordningsnummer", simkit.Samordningsnummer, ssbtekv1.StatusKod_STATUS_KOD_UPPGIFTSAKNAS, nil, nil},
		{"unknown", adaptertest.Nobody, ssbtekv1.StatusKod_STATUS_KOD_UPPGIFTSAKNAS, nil, nil},
		{"Felperson", simkit.Felperson, ssbtekv1.StatusKod_STATUS_KOD_ANNATFEL, nil,
			&ssbtekv1.Fel{Kalla: ssbtekv1.Kalla_KALLA_BT, Felkod: FelpersonFaultcode, Felmeddelande: FelpersonFaultstring}},
	}
	srv := adaptertest.Serve(t, Agency(), NewSimulator())
	a := srv.Adapter(Agency())
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := adaptertest.Fraga(tc.pnr)
			res, err := a.Hamta(t.Context(), f, f.GetPeriod())
			if err != nil {
				t.Fatalf("Hamta: %v", err)
			}
			adaptertest.CheckResult(t, Agency(), res, adaptertest.Want{Status: tc.kod, Fel: tc.fel, Content: tc.typed, MediaType: "text/xml"})
			ex := srv.Last(t)
			adaptertest.Validate(t, int014XSD, "request", bodyOf(t, ex.Request))
			if tc.fel == nil {
				// Radata is the answer as received, byte for byte.
				adaptertest.Validate(t, int014XSD, "answer", bodyOf(t, ex.Answer))
				adaptertest.Validate(t, int014XSD, "radata", adaptertest.RadataAnswer(t, res))
				if !bytes.Equal(res.GetRadata().GetInnehall(), ex.Answer) {
					t.Errorf("radata differs from the answer as received:\n%s\n---\n%s", res.GetRadata().GetInnehall(), ex.Answer)
				}
			}
		})
	}
}

// SO's own unreadable answers; the generic faults (hang, HTTP 500, malformed,
// truncated, oversized) are in the conformance suite.
func TestFaults(t *testing.T) {
	tests := []struct {
		name  string
		opts  SimulatorOptions
		fault simkit.Fault
	}{
		{"truncated UTF-16", SimulatorOptions{Charset: UTF16LE}, simkit.Fault{Kind: simkit.FaultTruncated}},
		{"wrong namespace", SimulatorOptions{WrongNamespace: true}, simkit.Fault{}},
		{"wrong namespace UTF-16", SimulatorOptions{WrongNamespace: true, Charset: UTF16BE}, simkit.Fault{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sim := NewSimulatorWith(tc.opts)
			sim.Faults().Set(tc.fault)
			a := adaptertest.Serve(t, Agency(), sim).Adapter(Agency())
			f := adaptertest.Fraga(simkit.Tolvan)
			// Nothing here should hang; the deadline only bounds a failure.
			res, err := a.Hamta(adaptertest.Deadline(t, 10*time.Second), f, f.GetPeriod())
			if err == nil {
				t.Fatalf("no error; result %v", res)
			}
			if got := adaptertest.Felkod(err); got != bastjanst.FelkodOlasbart {
				t.Errorf("felkod = %s, want %s (err %v)", got, bastjanst.FelkodOlasbart, err)
			}
			if strings.Contains(err.Error(), simkit.Tolvan) {
				t.Errorf("error text holds the personnummer: %v", err)
			}
		})
	}
}

// BizTalk may answer in UTF-16 either way round; the adapter must read it
// exactly as the UTF-8 answer, non-ASCII text included.
func TestUTF16Answers(t *testing.T) {
	f := adaptertest.Fraga(simkit.Tolvan)
	want, err := adaptertest.Serve(t, Agency(), NewSimulator()).Adapter(Agency()).Hamta(t.Context(), f, f.GetPeriod())
	if err != nil {
		t.Fatalf("UTF-8 Hamta: %v", err)
	}
	for _, cs := range []struct {
		name    string
		charset Charset
		bom     []byte
	}{
		{"LE", UTF16LE, []byte{0xFF, 0xFE}},
		{"BE", UTF16BE, []byte{0xFE, 0xFF}},
	} {
		t.Run(cs.name, func(t *testing.T) {
			srv := adaptertest.Serve(t, Agency(), NewSimulatorWith(SimulatorOptions{Charset: cs.charset}))
			a := srv.Adapter(Agency())
			got, err := a.Hamta(t.Context(), f, f.GetPeriod())
			if err != nil {
				t.Fatalf("Hamta: %v", err)
			}
			wire := srv.Last(t).Answer
			// The raw answer is the UTF-16 bytes as received; all else
			// equals the UTF-8 answer's.
			if !bytes.Equal(got.GetRadata().GetInnehall(), wire) {
				t.Errorf("radata is not the UTF-16 answer as received")
			}
			if part, err := radata.Part(got.GetRadata()); err != nil || !bytes.Contains(part, []byte("IdentificationNumber")) {
				t.Errorf("embedded part of the UTF-16 answer: %q, %v", part, err)
			}
			g, w := proto.Clone(got).(*ssbtekv1.BastjanstResultat), proto.Clone(want).(*ssbtekv1.BastjanstResultat)
			g.Radata, w.Radata = nil, nil
			if !proto.Equal(g, w) {
				t.Errorf("UTF-16 result differs from UTF-8:\n got %v\nwant %v", prototext.Format(g), prototext.Format(w))
			}
			if !bytes.HasPrefix(wire, cs.bom) {
				t.Errorf("answer does not start with the %s byte order mark: % x", cs.name, wire[:min(4, len(wire))])
			}
			adaptertest.Validate(t, int014XSD, "answer", bodyOf(t, wire))

			ff := adaptertest.Fraga(simkit.Felperson)
			fel, err := a.Hamta(t.Context(), ff, ff.GetPeriod())
			if err != nil {
				t.Fatalf("Hamta Felperson: %v", err)
			}
			if fel.GetFel().GetFelkod() != FelpersonFaultcode || fel.GetFel().GetFelmeddelande() != FelpersonFaultstring {
				t.Errorf("fel = %v", fel.GetFel())
			}
		})
	}
}

// Testa up and down against the simulator is in the conformance suite; here
// the probe's schema validity, UTF-16, and SO's own ways of being down.
func TestTesta(t *testing.T) {
	t.Run("up", func(t *testing.T) {
		srv := adaptertest.Serve(t, Agency(), NewSimulator())
		if err := srv.Adapter(Agency()).Testa(t.Context()); err != nil {
			t.Fatalf("Testa: %v", err)
		}
		ex := srv.Last(t)
		adaptertest.Validate(t, int014XSD, "request", bodyOf(t, ex.Request))
		adaptertest.Validate(t, int014XSD, "answer", bodyOf(t, ex.Answer))
	})
	t.Run("UTF-16", func(t *testing.T) {
		a := adaptertest.Serve(t, Agency(), NewSimulatorWith(SimulatorOptions{Charset: UTF16LE})).Adapter(Agency())
		if err := a.Testa(t.Context()); err != nil {
			t.Fatalf("Testa: %v", err)
		}
	})
	tests := []struct {
		name    string
		handler http.Handler
		felkod  string
	}{
		{"SOAP fault", adaptertest.FaultServer(soap.Fault{Code: "soap:Server", String: "UBPService is down for maintenance"}), bastjanst.FelkodOtillganglig},
		{"wrong namespace", NewSimulatorWith(SimulatorOptions{WrongNamespace: true}), bastjanst.FelkodOlasbart},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := adaptertest.Serve(t, Agency(), tc.handler).Adapter(Agency()).Testa(t.Context())
			if got := adaptertest.Felkod(err); err == nil || got != tc.felkod {
				t.Errorf("Testa = %v (felkod %s), want felkod %s", err, got, tc.felkod)
			}
		})
	}
}

// No case worker asks the probe: the ingivare is the gateway's operator.
func TestTestaNamesOperator(t *testing.T) {
	adaptertest.CheckOperator(t, Agency(), func(t *testing.T, ping adaptertest.Exchange) string {
		return soap.Text(adaptertest.Envelope(t, ping.Request).Body, "OrganisationsnummerIngivare")
	})
}

func TestGolden(t *testing.T) {
	srv := adaptertest.Serve(t, Agency(), NewSimulator())
	a := srv.Adapter(Agency())
	for _, tc := range []struct {
		pnr, request, answer string
		valid                bool // the answer is an INT014 message, not a fault
	}{
		{simkit.Tolvan, "request_tolvan.xml", "answer_tolvan.xml", true},
		{simkit.Felperson, "", "answer_felperson.xml", false},
	} {
		f := adaptertest.Fraga(tc.pnr)
		if _, err := a.Hamta(t.Context(), f, f.GetPeriod()); err != nil {
			t.Fatalf("Hamta: %v", err)
		}
		ex := srv.Last(t)
		if tc.request != "" {
			adaptertest.Golden(t, tc.request, ex.Request)
			adaptertest.Validate(t, int014XSD, tc.request, bodyOf(t, ex.Request))
		}
		adaptertest.Golden(t, tc.answer, ex.Answer)
		if tc.valid {
			adaptertest.Validate(t, int014XSD, tc.answer, bodyOf(t, ex.Answer))
		}
	}
}

// The simulator's requests must hold the question: a request it cannot read
// gets a client fault, which the adapter passes on as the agency's own error.
func TestSimulatorRejectsBadRequests(t *testing.T) {
	for _, body := range []string{
		`<Other xmlns="` + Namespace + `"/>`,
		`<GetUnemploymentBenefitPaymentRequest xmlns="` + Namespace + `"><IdentificationNumber>12345</IdentificationNumber></GetUnemploymentBenefitPaymentRequest>`,
		`<GetUnemploymentBenefitPaymentRequest xmlns="` + Namespace + `"><IdentificationNumber>191212121212</IdentificationNumber></GetUnemploymentBenefitPaymentRequest>`,
	} {
		el, err := simkit.Document(body)
		if err != nil {
			t.Fatal(err)
		}
		code, answer := adaptertest.PostSOAP(t, NewSimulator(), "/", el)
		if code != http.StatusInternalServerError || !bytes.Contains(answer, []byte("soap:Client")) {
			t.Errorf("%s: answer %d %s", body, code, answer)
		}
	}
}

// Without an own period the adapter asks for the question's SO period; a
// question without any period cannot be put to the agency at all.
func TestPeriodFallback(t *testing.T) {
	srv := adaptertest.Serve(t, Agency(), NewSimulator())
	a := srv.Adapter(Agency())
	f := adaptertest.Fraga(simkit.Tolvan)
	f.BastjanstPerioder = []*ssbtekv1.BastjanstPeriod{{Bastjanst: ssbtekv1.Bastjanst_BASTJANST_SO, Period: &ssbtekv1.Tidsperiod{From: "2025-03-01", Tom: "2025-03-31"}}}
	if _, err := a.Hamta(t.Context(), f, nil); err != nil {
		t.Fatalf("Hamta: %v", err)
	}
	if req := srv.Last(t).Request; !bytes.Contains(req, []byte("<From>2025-03-01</From><Tom>2025-03-31</Tom>")) {
		t.Errorf("request does not ask for the SO period:\n%s", req)
	}
	f.Period, f.BastjanstPerioder = nil, nil
	if _, err := a.Hamta(t.Context(), f, nil); !errors.Is(err, errNoPeriod) {
		t.Errorf("err = %v, want %v", err, errNoPeriod)
	}
}

// The simulator sends only the payments made in the period asked (and the
// suspensions overlapping it).
func TestSimulatorAnswersForThePeriod(t *testing.T) {
	srv := adaptertest.Serve(t, Agency(), NewSimulator())
	a := srv.Adapter(Agency())
	for _, tt := range []struct {
		pnr, from, tom string
		datum          []string
		avstangningar  int
	}{
		{simkit.Tolvan, "2026-08-01", "2026-10-31", []string{"2026-08-10", "2026-09-07", "2026-10-05"}, 0},
		{simkit.Tolvan, "2026-04-07", "2026-04-07", []string{"2026-04-07"}, 0},
		{simkit.Tolvan, "2020-01-01", "2020-03-31", nil, 0},
		{simkit.Jobbsokare, "2026-04-01", "2026-04-30", []string{"2026-04-10"}, 1},
		{simkit.Jobbsokare, "2026-04-11", "2026-04-30", nil, 0},
	} {
		f := adaptertest.Fraga(tt.pnr)
		f.Period = &ssbtekv1.Tidsperiod{From: tt.from, Tom: tt.tom}
		res, err := a.Hamta(t.Context(), f, f.GetPeriod())
		if err != nil {
			t.Fatalf("Hamta: %v", err)
		}
		adaptertest.Validate(t, int014XSD, "answer "+tt.from, bodyOf(t, srv.Last(t).Answer))
		var got []string
		avst := 0
		for _, k := range res.GetSo().GetAkassor() {
			for _, u := range k.GetUtbetalningar() {
				got = append(got, u.GetUtbetalningsdatum())
			}
			avst += len(k.GetAvstangningar())
		}
		if strings.Join(got, ",") != strings.Join(tt.datum, ",") || avst != tt.avstangningar {
			t.Errorf("%s %s..%s: payments %v, %d suspensions; want %v, %d", tt.pnr, tt.from, tt.tom, got, avst, tt.datum, tt.avstangningar)
		}
	}
}

func TestHundredths(t *testing.T) {
	for in, want := range map[string]int64{"9416.50": 941650, "4708.49": 470849, "20": 2000, "-1.5": -150, ".25": 25, "7.500": 750} {
		if got, err := hundredths(in); err != nil || got != want {
			t.Errorf("hundredths(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"1.005", "", "x", "1e3"} {
		if _, err := hundredths(in); err == nil {
			t.Errorf("hundredths(%q): no error", in)
		}
	}
}
