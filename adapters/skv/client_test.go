package skv

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/beevik/etree"
	"google.golang.org/protobuf/proto"

	"github.com/ssbtek/gateway/adapters/simkit"
	"github.com/ssbtek/gateway/adapters/soap"
	"github.com/ssbtek/gateway/bastjanst"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
)

// nobody is a valid personnummer that no simulator knows.
const nobody = "198001011231"

func TestHamtaTestPersons(t *testing.T) {
	tolvan := &ssbtekv1.Beskattning{
		Taxeringsar:                   2025,
		SummaIntakterKapital:          11250,
		OverskottKapital:              9870,
		UtbetaltBeloppTillKontohavare: 3420,
		BokforingsdagForUtbetalningar: "2024-03-14",
	}
	skyddad := &ssbtekv1.Beskattning{
		Taxeringsar:                   2025,
		SummaIntakterKapital:          1540,
		OverskottKapital:              1120,
		UtbetaltBeloppTillKontohavare: 950,
		BokforingsdagForUtbetalningar: "2024-02-28",
	}
	const (
		ok     = ssbtekv1.StatusKod_STATUS_KOD_OK
		saknas = ssbtekv1.StatusKod_STATUS_KOD_UPPGIFTSAKNAS
	)
	tests := []struct {
		name    string
		fraga   *ssbtekv1.Fraga
		status  ssbtekv1.StatusKod
		content *ssbtekv1.Beskattning // nil: no typed content
		fel     *ssbtekv1.Fel
		// radata is the local name of Radata's root element.
		radata string
	}{
		{"Tolvan has taxation", fraga(simkit.Tolvan), ok, tolvan, nil, elemSvar},
		{"Tolvan, taxeringsår asked for", fragaMedUrval(simkit.Tolvan, 2024), ok, &ssbtekv1.Beskattning{
			Taxeringsar: 2024, SummaIntakterKapital: 8412, OverskottKapital: 6130,
			UtbetaltBeloppTillKontohavare: 2150, BokforingsdagForUtbetalningar: "2023-03-15",
		}, nil, elemSvar},
		{"Tolvan, several years: the latest", fragaMedUrval(simkit.Tolvan, 2024, 2025), ok, tolvan, nil, elemSvar},
		{"Tolvan, a year SKV lacks", fragaMedUrval(simkit.Tolvan, 2019), saknas, nil, nil, elemSvar},
		// SKV's contract has no protected-identity flag: plain data.
		{"Skyddad has data, unmarked", fraga(simkit.Skyddad), ok, skyddad, nil, elemSvar},
		{"Jobbsokare", fraga(simkit.Jobbsokare), saknas, nil, nil, elemSvar},
		{"Nyanland", fraga(simkit.Nyanland), saknas, nil, nil, elemSvar},
		{"Student", fraga(simkit.Student), saknas, nil, nil, elemSvar},
		{"Pensionar", fraga(simkit.Pensionar), saknas, nil, nil, elemSvar},
		{"Samordningsnummer", fraga(simkit.Samordningsnummer), saknas, nil, nil, elemSvar},
		{"any other valid number", fraga(nobody), saknas, nil, nil, elemSvar},
		{
			"Felperson gets SKV's Exception", fraga(simkit.Felperson), ssbtekv1.StatusKod_STATUS_KOD_ANNATFEL, nil,
			&ssbtekv1.Fel{Kalla: ssbtekv1.Kalla_KALLA_BT, Felkod: felpersonKod, Felmeddelande: felpersonText},
			"Fault",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			res, err := e.adapter.Hamta(context.Background(), tt.fraga, nil)
			if err != nil {
				t.Fatalf("Hamta: %v", err)
			}
			if res.GetBastjanst() != ssbtekv1.Bastjanst_BASTJANST_SKV {
				t.Errorf("bastjanst = %v, want SKV", res.GetBastjanst())
			}
			if got := res.GetStatus().GetKod(); got != tt.status {
				t.Errorf("status = %v, want %v", got, tt.status)
			}
			if got := res.GetSkv(); !proto.Equal(got, tt.content) {
				t.Errorf("content = %v, want %v", got, tt.content)
			}
			if !proto.Equal(res.GetFel(), tt.fel) {
				t.Errorf("fel = %v, want %v", res.GetFel(), tt.fel)
			}
			if res.GetRadata().GetMediaType() != "application/xml" {
				t.Errorf("radata media type = %q", res.GetRadata().GetMediaType())
			}
			doc := etree.NewDocument()
			if err := doc.ReadFromBytes(res.GetRadata().GetInnehall()); err != nil {
				t.Fatalf("radata is not XML: %v", err)
			}
			if got := doc.Root().Tag; got != tt.radata {
				t.Errorf("radata root = %s, want %s", got, tt.radata)
			}
			if tt.radata == elemSvar {
				// svar stays the escaped svar document, for the shim to copy.
				wellFormed(t, soap.Text(doc.Root(), "svar"), rootSvar)
				validate(t, "radata", res.GetRadata().GetInnehall())
			}
		})
	}
}

func TestHamtaSendsUrvalAndPeriod(t *testing.T) {
	e := newEnv(t)
	f := fragaMedUrval(simkit.Tolvan, 2024, 2025)
	f.BastjanstPerioder = []*ssbtekv1.BastjanstPeriod{{
		Bastjanst: ssbtekv1.Bastjanst_BASTJANST_SKV,
		Period:    &ssbtekv1.Tidsperiod{From: "2025-01-01", Tom: "2025-12-31"},
	}}
	if _, err := e.adapter.Hamta(context.Background(), f, nil); err != nil {
		t.Fatalf("Hamta: %v", err)
	}
	forfragan := soap.Text(parse(t, e.requests.last(t)).Body, "forfragan")
	root, err := readInner(forfragan, rootForfragan)
	if err != nil {
		t.Fatalf("forfragan: %v", err)
	}
	for path, want := range map[string]string{
		"Tidsperiod/FromDatum":       "2025-01-01",
		"Tidsperiod/TomDatum":        "2025-12-31",
		"Urval/Ar[1]":                "2024",
		"Urval/Ar[2]":                "2025",
		"Urval/Foretagsinformation":  "false",
		"Urval/Individuppgifter":     "true",
		"Urval/Skattekonto":          "false",
		"Urval/Skatteuppgifter":      "true",
		"Urval/Beskattningsbilagor":  "false",
		"Ombud":                      "556677889900",
		"Personuppgiftsbitrade/Namn": "Exempel Ombud AB",
	} {
		el := root.FindElement(path)
		if el == nil || el.Text() != want {
			t.Errorf("%s = %v, want %q", path, el, want)
		}
	}
	// Without the block, no Urval: SKV answers with the latest taxation.
	if _, err := e.adapter.Hamta(context.Background(), fraga(simkit.Tolvan), nil); err != nil {
		t.Fatalf("Hamta: %v", err)
	}
	root, err = readInner(soap.Text(parse(t, e.requests.last(t)).Body, "forfragan"), rootForfragan)
	if err != nil {
		t.Fatalf("forfragan: %v", err)
	}
	if root.FindElement("Urval") != nil {
		t.Error("forfragan has an Urval though the question has no SKV block")
	}
}

func TestHamtaSlowPersonHonoursDeadline(t *testing.T) {
	e := newEnv(t)
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := e.adapter.Hamta(ctx, fraga(simkit.Langsam), nil)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want context deadline exceeded", err)
	}
	if got := bastjanst.FelFor(err).GetFelkod(); got != bastjanst.FelkodTimeout {
		t.Errorf("felkod = %s, want %s", got, bastjanst.FelkodTimeout)
	}
	if d := time.Since(start); d > time.Second {
		t.Errorf("Hamta returned after %v, long after its deadline", d)
	}
}

func TestHamtaFaults(t *testing.T) {
	tests := []struct {
		name   string
		fault  simkit.Fault
		wrong  bool // answer in a foreign namespace
		felkod string
	}{
		{"hang", simkit.Fault{Kind: simkit.FaultHang}, false, bastjanst.FelkodTimeout},
		{"http500", simkit.Fault{Kind: simkit.FaultHTTP500}, false, bastjanst.FelkodOtillganglig},
		{"malformed", simkit.Fault{Kind: simkit.FaultMalformed}, false, bastjanst.FelkodOlasbart},
		{"truncated", simkit.Fault{Kind: simkit.FaultTruncated}, false, bastjanst.FelkodOlasbart},
		{"oversized", simkit.Fault{Kind: simkit.FaultOversized}, false, bastjanst.FelkodOlasbart},
		{"wrong namespace", simkit.Fault{}, true, bastjanst.FelkodOlasbart},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			e.sim.Faults().Set(tt.fault)
			e.sim.SetWrongNamespace(tt.wrong)
			// Only the hang needs a short deadline; the 16 MiB answer takes a while under -race.
			deadline := 10 * time.Second
			if tt.fault.Kind == simkit.FaultHang {
				deadline = 200 * time.Millisecond
			}
			ctx, cancel := context.WithTimeout(context.Background(), deadline)
			defer cancel()
			// Tolvan, so a wrong namespace cannot hide behind an empty answer.
			res, err := e.adapter.Hamta(ctx, fraga(simkit.Tolvan), nil)
			if err == nil {
				t.Fatalf("Hamta = %v, want an error", res)
			}
			if tt.fault.Kind == simkit.FaultHang && !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("err = %v, want context deadline exceeded", err)
			}
			if got := bastjanst.FelFor(err).GetFelkod(); got != tt.felkod {
				t.Errorf("felkod = %s, want %s (err %v)", got, tt.felkod, err)
			}
			if strings.Contains(err.Error(), simkit.Tolvan) {
				t.Errorf("error text holds the personnummer: %v", err)
			}
		})
	}
}

func TestHamtaLatencyStillAnswers(t *testing.T) {
	e := newEnv(t)
	e.sim.Faults().Set(simkit.Fault{Kind: simkit.FaultLatency, Latency: 50 * time.Millisecond})
	res, err := e.adapter.Hamta(context.Background(), fraga(simkit.Tolvan), nil)
	if err != nil {
		t.Fatalf("Hamta: %v", err)
	}
	if got := res.GetStatus().GetKod(); got != ssbtekv1.StatusKod_STATUS_KOD_OK {
		t.Errorf("status = %v, want OK", got)
	}
}

// answerServer answers every request with body.
func answerServer(body *etree.Element) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { simkit.WriteSOAP(w, body) })
}

// faultServer answers every request with the given fault.
func faultServer(f soap.Fault) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { simkit.WriteFault(w, f) })
}

func TestHamtaUnreadableSvar(t *testing.T) {
	tests := map[string]*etree.Element{
		"svar is not XML":         svarElement(Namespace, "<SvarBeskattningsuppgifterEnligtSFS2008-975"),
		"svar about someone else": svarElement(Namespace, svarDokument(simkit.Skyddad, nil)),
		"no svar element":         etree.NewElement(prefix + ":" + elemSvar),
		"wrong root element":      buildRequest(buildForfragan(fraga(simkit.Tolvan), nil)),
	}
	tests["no svar element"].CreateAttr("xmlns:"+prefix, Namespace)
	for name, body := range tests {
		t.Run(name, func(t *testing.T) {
			e := newEnvWith(t, answerServer(body))
			_, err := e.adapter.Hamta(context.Background(), fraga(simkit.Tolvan), nil)
			if got := bastjanst.FelFor(err).GetFelkod(); got != bastjanst.FelkodOlasbart {
				t.Errorf("felkod = %s, want %s (err %v)", got, bastjanst.FelkodOlasbart, err)
			}
			if err != nil && (strings.Contains(err.Error(), simkit.Tolvan) || strings.Contains(err.Error(), simkit.Skyddad)) {
				t.Errorf("error text holds a personnummer: %v", err)
			}
		})
	}
}

func TestHamtaFaultsWithoutException(t *testing.T) {
	partial := etree.NewElement(prefix + ":" + elemFelsvar)
	partial.CreateAttr("xmlns:"+prefix, Namespace)
	partial.CreateElement("MeddelandeKod").SetText("9071999")
	tests := []struct {
		name  string
		fault soap.Fault
		want  *ssbtekv1.Fel
	}{
		{"plain SOAP fault", soap.Fault{Code: "soap:Server", String: "Internal Error"},
			&ssbtekv1.Fel{Kalla: ssbtekv1.Kalla_KALLA_BT, Felkod: "soap:Server", Felmeddelande: "Internal Error"}},
		{"Exception without MeddelandeText", soap.Fault{Code: "soap:Server", String: "Internal Error", Detail: partial},
			&ssbtekv1.Fel{Kalla: ssbtekv1.Kalla_KALLA_BT, Felkod: "9071999", Felmeddelande: "Internal Error"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnvWith(t, faultServer(tt.fault))
			res, err := e.adapter.Hamta(context.Background(), fraga(simkit.Tolvan), nil)
			if err != nil {
				t.Fatalf("Hamta: %v", err)
			}
			if !proto.Equal(res.GetFel(), tt.want) {
				t.Errorf("fel = %v, want %v", res.GetFel(), tt.want)
			}
		})
	}
}

func TestTesta(t *testing.T) {
	t.Run("simulator answers the ping", func(t *testing.T) {
		e := newEnv(t)
		if err := e.adapter.Testa(context.Background()); err != nil {
			t.Fatalf("Testa: %v", err)
		}
		raw := e.requests.last(t)
		validate(t, "ping", payload(t, raw))
		q, err := readForfragan(soap.Text(parse(t, raw).Body, "forfragan"))
		if err != nil {
			t.Fatalf("ping forfragan: %v", err)
		}
		if q.personidentitet != pingPersonidentitet {
			t.Errorf("ping asked about %q, want the ping identity", q.personidentitet)
		}
	})
	failures := []struct {
		name   string
		setup  func(e *env)
		server http.Handler
		felkod string
	}{
		{"http500", func(e *env) { e.sim.Faults().Set(simkit.Fault{Kind: simkit.FaultHTTP500}) }, nil, bastjanst.FelkodOtillganglig},
		{"wrong namespace", func(e *env) { e.sim.SetWrongNamespace(true) }, nil, bastjanst.FelkodOlasbart},
		{"SKV's Exception", func(*env) {}, faultServer(felsvar("soap:Server", felpersonKod, felpersonText)), bastjanst.FelkodOtillganglig},
	}
	for _, tt := range failures {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnvWith(t, tt.server)
			tt.setup(e)
			err := e.adapter.Testa(context.Background())
			if err == nil {
				t.Fatal("Testa succeeded, want an error")
			}
			if got := bastjanst.FelFor(err).GetFelkod(); got != tt.felkod {
				t.Errorf("felkod = %s, want %s (err %v)", got, tt.felkod, err)
			}
		})
	}
}

// SKV may wrap svar in CDATA, as the SSBTEK sample shows it; it reads the same.
func TestHamtaSvarInCDATA(t *testing.T) {
	body := etree.NewElement(prefix + ":" + elemSvar)
	body.CreateAttr("xmlns:"+prefix, Namespace)
	body.CreateElement("svar").SetCData(svarDokument(simkit.Tolvan, nil))
	validate(t, "cdata", soap.Bytes(body))
	e := newEnvWith(t, answerServer(body))
	res, err := e.adapter.Hamta(context.Background(), fraga(simkit.Tolvan), nil)
	if err != nil {
		t.Fatalf("Hamta: %v", err)
	}
	if got := res.GetSkv().GetTaxeringsar(); got != 2025 {
		t.Errorf("taxeringsar = %d, want 2025", got)
	}
}
