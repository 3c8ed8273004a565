package fk

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/ssbtek/gateway/adapters/simkit"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
	"github.com/ssbtek/gateway/internal/adaptertest"
)

// Every answer the simulator gives, to the adapter's question and to
// narrower pass-through ones, conforms strictly to LEFI's contract.
func TestSimulatorPayloadsConform(t *testing.T) {
	c := loadContract(t, true)
	persons := []string{
		simkit.Tolvan, simkit.Jobbsokare, simkit.Skyddad, simkit.Nyanland, simkit.Student,
		simkit.Pensionar, simkit.Felperson, simkit.Samordningsnummer, adaptertest.Nobody,
	}
	// 2026 Q1, the autumn (Tolvan's monthly payments) and the whole of 2025–2026.
	for _, p := range []*ssbtekv1.Tidsperiod{{From: "2026-01-01", Tom: "2026-03-31"}, {From: "2026-08-01", Tom: "2026-10-31"}, {From: "2025-01-01", Tom: "2026-12-31"}} {
		simulatorConforms(t, c, persons, p)
	}
	t.Run("tillgangligaInformationstyper", func(t *testing.T) {
		status, raw := get(t, NewSimulator(), typerURL)
		if status != http.StatusOK {
			t.Errorf("HTTP %d", status)
		}
		c.validate(t, http.MethodGet, typerURL, nil, status, raw)
	})
}

// simulatorConforms asks the simulator about each person for p.
func simulatorConforms(t *testing.T, c *contract, persons []string, p *ssbtekv1.Tidsperiod) {
	t.Helper()
	for _, pnr := range persons {
		questions := []fraga{
			fragaFor(pnr, p),
			{Personnummer: pnr[2:], Period: &period{From: p.From, Tom: p.Tom}, Formansinformation: []string{"FK:SJP"}},
			{Personnummer: pnr, Period: &period{From: p.From, Tom: p.Tom}, Beslut: []string{"PM:AP"}, Ansprak: []string{"PM:EF"}},
			{Personnummer: pnr, Period: &period{From: p.From, Tom: p.Tom}, OvrigInformation: []string{gepi}},
		}
		for _, q := range questions {
			body := mustJSON(t, q)
			status, raw := adaptertest.Post(t, NewSimulator(), fragaURL, mediaTypeJSON, body)
			c.validate(t, http.MethodPost, fragaURL, body, status, raw)
		}
	}
}

// The simulator answers only what was asked for.
func TestSimulatorAnswersTheGroupsAsked(t *testing.T) {
	q := fraga{Personnummer: simkit.Tolvan, Period: &period{From: "2026-01-01", Tom: "2026-03-31"}, Formansinformation: []string{"FK:ABB"}}
	_, raw := adaptertest.Post(t, NewSimulator(), fragaURL, mediaTypeJSON, mustJSON(t, q))
	var s svar
	if err := json.Unmarshal(raw, &s); err != nil {
		t.Fatal(err)
	}
	fi := s.Formansinformation
	if fi == nil || len(fi.Barnbidrag) != 1 || len(fi.Foraldrapenning)+len(fi.Bostadsbidrag)+len(fi.GenerellPersoninformation) != 0 {
		t.Errorf("answer %s, want only barnbidrag", raw)
	}
	if len(s.Utlamnare) != 1 || s.Utlamnare[0].Utlamnare.Kod != "FK" {
		t.Errorf("utlamnare %+v, want FK alone", s.Utlamnare)
	}
}

// Questions that break the contract get LEFI's 400, itself a LefiFelsvar.
func TestSimulatorRejectsBadQuestions(t *testing.T) {
	c := loadContract(t, false)
	valid := `"personnummer":"191212121212","period":{"from":"2026-01-01","tom":"2026-03-31"}`
	for name, body := range map[string]string{
		"not JSON":            `<fraga/>`,
		"an array":            `[]`,
		"wrong types":         `{"personnummer":191212121212}`,
		"no personnummer":     `{"period":{"from":"2026-01-01","tom":"2026-03-31"},"formansinformation":["FK:FP"]}`,
		"bad personnummer":    `{"personnummer":"19121212-1212","period":{"from":"2026-01-01","tom":"2026-03-31"},"formansinformation":["FK:FP"]}`,
		"no period":           `{"personnummer":"191212121212","formansinformation":["FK:FP"]}`,
		"no tom":              `{"personnummer":"191212121212","period":{"from":"2026-01-01"},"formansinformation":["FK:FP"]}`,
		"period reversed":     `{"personnummer":"191212121212","period":{"from":"2026-03-01","tom":"2026-01-01"},"formansinformation":["FK:FP"]}`,
		"period over 2 years": `{"personnummer":"191212121212","period":{"from":"2023-01-01","tom":"2026-01-02"},"formansinformation":["FK:FP"]}`,
		"no group":            `{` + valid + `}`,
		"unknown group":       `{` + valid + `,"formansinformation":["FK:XYZ"]}`,
		"PM group as FK":      `{` + valid + `,"formansinformation":["PM:AP"]}`,
		"repeated group":      `{` + valid + `,"beslut":["PM:AP","PM:AP"]}`,
	} {
		t.Run(name, func(t *testing.T) {
			status, raw := adaptertest.Post(t, NewSimulator(), fragaURL, mediaTypeJSON, []byte(body))
			if status != http.StatusBadRequest {
				t.Errorf("HTTP %d, want 400: %s", status, raw)
			}
			fs, ok := parseFelsvar(raw)
			if !ok || strings.Contains(fs.Meddelande, "1212") {
				t.Errorf("answer %s is no LefiFelsvar free of the personnummer", raw)
			}
			// The answer conforms to the operation's 400 (the bad question is left unchecked).
			c.validate(t, http.MethodPost, fragaURL, nil, status, raw)
		})
	}
}

func TestSimulatorRouting(t *testing.T) {
	q := mustJSON(t, fragaFor(simkit.Tolvan, &ssbtekv1.Tidsperiod{From: "2026-01-01", Tom: "2026-01-31"}))
	for _, tt := range []struct {
		method, path string
		status       int
	}{
		{http.MethodPost, "/fk" + fragaURL, http.StatusOK},
		{http.MethodPost, "/any/mount" + fragaURL, http.StatusOK},
		{http.MethodGet, typerURL, http.StatusOK},
		{http.MethodGet, fragaURL, http.StatusMethodNotAllowed},
		{http.MethodPost, typerURL, http.StatusMethodNotAllowed},
		{http.MethodPost, strings.Replace(fragaURL, "/v9/", "/v8/", 1), http.StatusNotFound},
		{http.MethodPost, strings.Replace(fragaURL, testAktor, "", 1), http.StatusNotFound},
		{http.MethodPost, "/lefi-extern-formansinformation/v9/aktorer/A/fraga", http.StatusNotFound},
		{http.MethodPost, "/", http.StatusNotFound},
	} {
		var status int
		var raw []byte
		if tt.method == http.MethodGet {
			status, raw = get(t, NewSimulator(), tt.path)
		} else {
			status, raw = adaptertest.Post(t, NewSimulator(), tt.path, mediaTypeJSON, q)
		}
		if status != tt.status {
			t.Errorf("%s %s: HTTP %d, want %d: %s", tt.method, tt.path, status, tt.status, raw)
		}
	}
}

// The wrong-shape answer really breaks both operations' schemas, and not
// only the strict reading of them.
func TestWrongShapeIsReallyWrong(t *testing.T) {
	c := loadContract(t, false)
	sim := NewSimulator().(*Simulator)
	sim.SetWrongShape(true)
	q := mustJSON(t, fragaFor(simkit.Tolvan, &ssbtekv1.Tidsperiod{From: "2026-01-01", Tom: "2026-01-31"}))
	status, raw := adaptertest.Post(t, sim, fragaURL, mediaTypeJSON, q)
	if !json.Valid(raw) {
		t.Fatalf("wrong-shape answer is not JSON: %s", raw)
	}
	if err := c.check(http.MethodPost, fragaURL, q, status, raw); err == nil {
		t.Errorf("the wrong-shape answer %s conforms to LefiExternFormansinformationSvar", raw)
	}
	status, raw = get(t, sim, typerURL)
	if err := c.check(http.MethodGet, typerURL, nil, status, raw); err == nil {
		t.Errorf("the wrong-shape answer %s conforms to LefiExternTillgangligaInformationstyper", raw)
	}
}

// Tolvan draws allmän pension from PM every month of 2026: asked for the
// year, LEFI sends one payment per month (January to November made,
// December planned), each 10 400 kronor gross, 1 456 tax, 8 944 net; asked
// for the autumn, only August to October's.
func TestSimulatorTolvanPensionEveryMonth(t *testing.T) {
	ask := func(from, tom string) svar {
		t.Helper()
		q := fraga{Personnummer: simkit.Tolvan, Period: &period{From: from, Tom: tom}, Utbetalningar: []string{"PM:AP"}, PreliminaraUtbetalningar: []string{"PM:AP"}}
		_, raw := adaptertest.Post(t, NewSimulator(), fragaURL, mediaTypeJSON, mustJSON(t, q))
		var s svar
		if err := json.Unmarshal(raw, &s); err != nil {
			t.Fatal(err)
		}
		return s
	}
	manader := func(list []pmUtbetalning) []string {
		var out []string
		for _, u := range list {
			if u.Bruttobelopp == nil || *u.Bruttobelopp != 10400 || u.Nettobelopp == nil || *u.Nettobelopp != 8944 ||
				len(u.Avdrag) != 1 || *u.Avdrag[0].Belopp != 1456 || u.Avdrag[0].Avdragstyp.Kod != "PM:PS" {
				t.Errorf("payment %s: brutto %v netto %v avdrag %+v, want 10400, 8944, PM:PS 1456", u.Utbetalningsdatum, u.Bruttobelopp, u.Nettobelopp, u.Avdrag)
			}
			if u.Utbetalningsperiod == nil || u.Utbetalningsperiod.From[:7] != u.Utbetalningsdatum[:7] {
				t.Errorf("payment %s covers %+v, want its own month", u.Utbetalningsdatum, u.Utbetalningsperiod)
			}
			out = append(out, u.Utbetalningsdatum[:7])
		}
		return out
	}
	year := ask("2026-01-01", "2026-12-31")
	want := []string{"2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06", "2026-07", "2026-08", "2026-09", "2026-10", "2026-11"}
	if got := manader(year.Utbetalningar); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("2026 paid in %v, want %v", got, want)
	}
	if got := manader(year.PreliminaraUtbetalningar); strings.Join(got, " ") != "2026-12" {
		t.Errorf("2026 planned in %v, want 2026-12", got)
	}
	if got := manader(ask("2026-08-01", "2026-10-31").Utbetalningar); strings.Join(got, " ") != "2026-08 2026-09 2026-10" {
		t.Errorf("autumn paid in %v, want 2026-08 2026-09 2026-10", got)
	}
}
