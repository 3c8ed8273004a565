package fk

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	"google.golang.org/protobuf/proto"

	"github.com/ssbtek/gateway/adapters/httpcall"
	"github.com/ssbtek/gateway/bastjanst"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
)

// Utlämnare lists for the answers below.
const (
	fkOK     = `"utlamnare":[{"utlamnare":{"kod":"FK","namn":"Försäkringskassan"},"tillstand":{"kod":"OK","beskrivning":"Tillgänglig"}}]`
	fkPmOK   = `"utlamnare":[{"utlamnare":{"kod":"FK"},"tillstand":{"kod":"OK"}},{"utlamnare":{"kod":"PM"},"tillstand":{"kod":"OK"}}]`
	pmFelade = `"utlamnare":[{"utlamnare":{"kod":"FK","namn":"Försäkringskassan"},"tillstand":{"kod":"OK","beskrivning":"Tillgänglig"}},` +
		`{"utlamnare":{"kod":"PM","namn":"Pensionsmyndigheten"},"tillstand":{"kod":"FELANDE","beskrivning":"Ett fel har uppstått"}}]`
)

// Every kind of ärende and PM decision this package maps, with the edge
// cases of each rule: avslag, interimistic and provisional decisions,
// month-only and open periods, sums with decimals, kinds named by their
// ersättning, and FK's and PM's allmän pension joined.
const allaSlag = `{` + fkPmOK + `,
 "formansinformation": {
  "foraldrapenningarende": [{"startades": "2026-01-02", "avslaget": true, "beslut": [{"fattades": "2026-01-20", "definitivt": true}]}],
  "barnbidragsarende": [{"beslut": [{"fattades": "2026-01-05", "definitivt": true, "period": {"fran": "2026-02", "till": "2026-02"}, "beslutatBruttobelopp": {"summa": 1250.5, "valuta": "SEK"}}]}],
  "bostadstillaggsarende": [{"startades": "2026-01-03"}],
  "underhallsstodsmottag": [{"beslut": [{"fattades": "2026-01-07", "definitivt": false, "period": {"fran": "2026-01-01", "till": "2026-12-31"}, "beslutatBruttobelopp": {"summa": 1673}}]}],
  "programersattningsarende": [{"beslut": [
    {"fattades": "2026-02-01", "definitivt": true, "ersattning": {"id": "AS", "beskrivning": "Aktivitetsstöd"}, "beslutatBruttobelopp": {"summa": 6000}},
    {"fattades": "2026-02-01", "ersattningsdagar": [{"dag": "2026-01-30", "ersattning": {"id": "UE"}, "belopp": {"summa": 152.25}}, {"dag": "2026-01-31", "ersattning": {"id": "UE"}, "belopp": {"summa": 152.25}}]},
    {"fattades": "2026-02-01"}
  ]}],
  "aktivitetsstodsarende": [{"startades": "2025-12-01", "beslut": [{"fattades": "2025-12-10", "definitivt": true, "period": {"fran": "2025-12-01"}}]}],
  "sjukpenningarende": [{"startades": "2026-01-10", "beslut": [
    {"fattades": "2026-01-15", "definitivt": true, "beslutsutfall": "AVSLAG"},
    {"fattades": "2026-02-15", "definitivt": true, "beslutstyp": "INTERMISTISKT", "omfattning": {"taljare": 1, "namnare": 2},
     "period": {"fran": "2026-02-01", "till": "2026-02-02"},
     "ersattningsdagar": [{"ersattningsdatum": "2026-02-01", "ersattningsbelopp": {"summa": 800.4}}, {"ersattningsdatum": "2026-02-02", "ersattningsbelopp": {"summa": 800.4}}]}
  ]}],
  "sjukOchAktivitetsersattningsarende": [{"beslut": [{"fattades": "2025-06-01", "definitivt": true, "omfattning": {"taljare": 3, "namnare": 4}, "beslutatBruttobelopp": {"summa": 9000}}]}],
  "handikappersattningsarende": [{"beslut": [{"fattades": "2025-06-01", "omfattning": {"taljare": 0, "namnare": 0}}]}],
  "vardbidragsarende": [{"beslut": [{"fattades": "2025-06-01", "omfattning": {"taljare": 1, "namnare": 4}}]}],
  "efterlevandepensionsarende": [{"beslut": [{"fattades": "2020-01-01", "omfattning": [{"taljare": 1, "namnare": 1}], "beslutatBruttobelopp": {"summa": 3000}}]}],
  "allmanpensionsarende": [{"beslut": [{"fattades": "2019-01-01", "definitivt": true, "period": {"fran": "2019-02"}, "omfattning": {"taljare": 1, "namnare": 1}, "beslutatBruttobelopp": {"summa": 4000}}]}],
  "sjukpenninggrundandeInkomstuppgift": [{"faststalldes": "2025-01-01"}]
 },
 "ansprak": [{"ansprakid": "E1", "ankomstdatum": "2026-01-02", "formansgrupp": {"kod": "PM:EF", "beskrivning": "Efterlevandeförmåner"}}],
 "beslut": [
  {"beslutsdatum": "2026-01-10", "formansgrupp": {"kod": "PM:AP", "beskrivning": "Allmän pension"},
   "beslutsstatus": {"kod": "PRELIMINART", "beskrivning": "Preliminärt"}, "beslutsutfall": {"kod": "BIFALL", "beskrivning": "Bifall"},
   "beslutadErsattning": [
    {"beslutatBelopp": {"belopp": 100, "beloppsfrekvens": {"kod": "MANAD", "beskrivning": "Månad"}}, "period": {"from": "2026-02-01", "tom": "2026-02-28"}, "omfattning": 0.5},
    {"beslutatBelopp": {"belopp": 50, "beloppsfrekvens": {"kod": "MANAD", "beskrivning": "Månad"}}, "period": {"from": "2026-02-01", "tom": "2026-02-28"}, "omfattning": 0.25},
    {"beslutatBelopp": {"belopp": 1200, "beloppsfrekvens": {"kod": "AR", "beskrivning": "År"}}, "period": {"from": "2026-02-01", "tom": "2026-02-28"}}
   ]},
  {"beslutsdatum": "2026-01-11", "formansgrupp": {"kod": "PM:BTI", "beskrivning": "Bostads- och inkomststöd"},
   "beslutsstatus": {"kod": "SLUTLIGT", "beskrivning": "Slutligt"}, "beslutsutfall": {"kod": "AVSLAG", "beskrivning": "Avslag"}}
 ]
}`

func TestMapEveryKind(t *testing.T) {
	loadContract(t, true).validate(t, http.MethodPost, fragaURL, nil, http.StatusOK, []byte(allaSlag))
	b := func(datum string, kod ssbtekv1.Beslutskod, from, tom string, typ ssbtekv1.Periodtyp, brutto int64, omf int32) *ssbtekv1.Beslut {
		return &ssbtekv1.Beslut{Beslutsdatum: datum, Beslutskod: kod, From: from, Tom: tom, Periodtyp: typ, Bruttobelopp: brutto, Omfattning: omf}
	}
	const none = ssbtekv1.Periodtyp_PERIODTYP_UNSPECIFIED
	const okand = ssbtekv1.Beslutskod_BESLUTSKOD_UNSPECIFIED
	want := sff(
		&ssbtekv1.FormansBeslut{Forman: "foraldrapenning", AnsokanInkommen: true, Beslut: []*ssbtekv1.Beslut{b("2026-01-20", avslag, "", "", none, 0, 0)}},
		&ssbtekv1.FormansBeslut{Forman: "barnbidrag", Beslut: []*ssbtekv1.Beslut{b("2026-01-05", definitivt, "2026-02-01", "2026-02-28", none, 1251, 0)}},
		&ssbtekv1.FormansBeslut{Forman: "bostadstillagg", AnsokanInkommen: true},
		&ssbtekv1.FormansBeslut{Forman: "underhallsstod", Beslut: []*ssbtekv1.Beslut{b("2026-01-07", provisorisk, "2026-01-01", "2026-12-31", none, 1673, 0)}},
		&ssbtekv1.FormansBeslut{Forman: "aktivitetsstod", AnsokanInkommen: true, Beslut: []*ssbtekv1.Beslut{
			b("2026-02-01", definitivt, "", "", none, 6000, 0),
			b("2025-12-10", definitivt, "2025-12-01", "", tillsvidare, 0, 0),
		}},
		&ssbtekv1.FormansBeslut{Forman: "utvecklingsersattning", Beslut: []*ssbtekv1.Beslut{b("2026-02-01", okand, "", "", none, 305, 0)}},
		&ssbtekv1.FormansBeslut{Forman: "programersattning", Beslut: []*ssbtekv1.Beslut{b("2026-02-01", okand, "", "", none, 0, 0)}},
		&ssbtekv1.FormansBeslut{Forman: "sjukpenning", AnsokanInkommen: true, Beslut: []*ssbtekv1.Beslut{
			b("2026-01-15", avslag, "", "", none, 0, 0),
			b("2026-02-15", provisorisk, "2026-02-01", "2026-02-02", retroaktiv, 1601, 50),
		}},
		&ssbtekv1.FormansBeslut{Forman: "sjukochaktivitetsersattning", Beslut: []*ssbtekv1.Beslut{b("2025-06-01", definitivt, "", "", none, 9000, 75)}},
		&ssbtekv1.FormansBeslut{Forman: "handikappersattning", Beslut: []*ssbtekv1.Beslut{b("2025-06-01", okand, "", "", none, 0, 0)}},
		&ssbtekv1.FormansBeslut{Forman: "vardbidrag", Beslut: []*ssbtekv1.Beslut{b("2025-06-01", okand, "", "", none, 0, 25)}},
		&ssbtekv1.FormansBeslut{Forman: "efterlevandepension", Beslut: []*ssbtekv1.Beslut{b("2020-01-01", okand, "", "", none, 3000, 0)}},
		&ssbtekv1.FormansBeslut{Forman: "allmanpension", AnsokanInkommen: true, Beslut: []*ssbtekv1.Beslut{
			b("2019-01-01", definitivt, "2019-02-01", "", tillsvidare, 4000, 100),
			// One Beslut per beslutad ersättning, each with its amount and extent.
			b("2026-01-10", provisorisk, "2026-02-01", "2026-02-28", none, 100, 50),
			b("2026-01-10", provisorisk, "2026-02-01", "2026-02-28", none, 50, 25),
			b("2026-01-10", provisorisk, "2026-02-01", "2026-02-28", none, 1200, 0),
		}},
		&ssbtekv1.FormansBeslut{Forman: "efterlevandeformaner", AnsokanInkommen: true},
		&ssbtekv1.FormansBeslut{Forman: "bostadsinkomststod", AnsokanInkommen: true, Beslut: []*ssbtekv1.Beslut{b("2026-01-11", avslag, "", "", none, 0, 0)}},
	)
	res, err := mapSvar([]byte(allaSlag), mediaTypeJSON)
	if err != nil {
		t.Fatal(err)
	}
	if res.GetStatus().GetKod() != ssbtekv1.StatusKod_STATUS_KOD_OK || res.GetFel() != nil {
		t.Errorf("status %v fel %v, want OK", res.GetStatus(), res.GetFel())
	}
	got := res.GetFk()
	if len(got.GetFormaner()) != len(want.GetFormaner()) {
		t.Fatalf("got %d förmåner, want %d:\n%v", len(got.GetFormaner()), len(want.GetFormaner()), got)
	}
	for i, w := range want.GetFormaner() {
		// This test holds the decisions' shared fields; TestMapExactAndVerbatim the rest.
		g := proto.CloneOf(got.GetFormaner()[i])
		g.FormanKod, g.Utlamnare, g.Ansprak = "", "", nil
		for _, b := range g.GetBeslut() {
			b.BeslutskodKod, b.FormanKod, b.Beloppsperiod, b.BruttobeloppOre, b.Dagar, b.Belopp = "", "", "", nil, 0, nil
		}
		if !proto.Equal(g, w) {
			t.Errorf("förmån %d:\n got %v\nwant %v", i, g, w)
		}
	}
}

// Amounts are exact öre (1250.50 kronor is 125050 öre, rounded 1251 kronor),
// LEFI's codes verbatim, days per day.
func TestMapExactAndVerbatim(t *testing.T) {
	res, err := mapSvar([]byte(allaSlag), mediaTypeJSON)
	if err != nil {
		t.Fatal(err)
	}
	byForman := map[string]*ssbtekv1.FormansBeslut{}
	for _, fb := range res.GetFk().GetFormaner() {
		byForman[fb.GetForman()] = fb
	}
	bb := byForman["barnbidrag"].GetBeslut()[0]
	if bb.GetBruttobeloppOre() != 125050 || bb.GetBruttobelopp() != 1251 || bb.GetBeslutskodKod() != "true" {
		t.Errorf("barnbidrag = %v, want 125050 öre, 1251 kronor, definitivt \"true\"", bb)
	}
	if fb := byForman["underhallsstod"]; fb.GetFormanKod() != "FK:US" || fb.GetUtlamnare() != "FK" || fb.GetBeslut()[0].GetBeslutskodKod() != "false" {
		t.Errorf("underhållsstöd = %v, want FK:US from FK, definitivt \"false\"", fb)
	}
	ue := byForman["utvecklingsersattning"].GetBeslut()[0]
	if len(ue.GetBelopp()) != 2 || ue.GetBelopp()[0].GetBeloppOre() != 15225 || ue.GetBruttobeloppOre() != 30450 {
		t.Errorf("utvecklingsersättning = %v, want two days of 15225 öre, 30450 in all", ue)
	}
	ap := byForman["allmanpension"]
	if ap.GetUtlamnare() == "" || len(ap.GetBeslut()) != 4 || ap.GetBeslut()[3].GetBeloppsperiod() != "AR" || ap.GetBeslut()[3].GetBeslutskodKod() != "PRELIMINART/BIFALL" {
		t.Errorf("allmän pension = %v, want PM's yearly amount with beloppsperiod AR", ap)
	}
}

// An amount finer than öre cannot be typed exactly: the answer is unreadable, not rounded.
func TestMapRefusesSubOre(t *testing.T) {
	body := `{"utlamnare":[{"utlamnare":{"kod":"FK","namn":"Försäkringskassan"},"tillstand":{"kod":"OK","beskrivning":"Tillgänglig"}}],` +
		`"formansinformation":{"barnbidragsarende":[{"beslut":[{"fattades":"2026-01-05","beslutatBruttobelopp":{"summa":1250.505}}]}]}}`
	if _, err := mapSvar([]byte(body), mediaTypeJSON); bastjanst.FelFor(err).GetFelkod() != bastjanst.FelkodOlasbart {
		t.Errorf("err = %v, want 2003", err)
	}
}

func TestMapStatusAndNativeErrors(t *testing.T) {
	const barnbidrag = `"formansinformation":{"barnbidragsarende":[{"beslut":[{"fattades":"2026-01-05","definitivt":true}]}]}`
	tests := []struct {
		name     string
		body     string
		conforms bool // whether the body is one the contract allows
		status   ssbtekv1.StatusKod
		text     string // in the status meddelande
		fel      *ssbtekv1.Fel
	}{
		{"an utlämnare in trouble is LEFI's own error", `{` + pmFelade + `}`, true, ssbtekv1.StatusKod_STATUS_KOD_ANNATFEL, "",
			&ssbtekv1.Fel{Kalla: ssbtekv1.Kalla_KALLA_BT, Felkod: "FELANDE", Felmeddelande: "Pensionsmyndigheten: Ett fel har uppstått"}},
		{"an unavailable one without texts", `{"utlamnare":[{"utlamnare":{"kod":"FK"},"tillstand":{"kod":"OTILLGANGLIG"}}]}`, true, ssbtekv1.StatusKod_STATUS_KOD_ANNATFEL, "",
			&ssbtekv1.Fel{Kalla: ssbtekv1.Kalla_KALLA_BT, Felkod: "OTILLGANGLIG", Felmeddelande: "FK: OTILLGANGLIG"}},
		{"OBEHORIG avvikelser are expected", `{` + fkOK + `,"avvikelser":{"formansinformation":[{"avvikelse":{"kod":"OBEHORIG"},"formansgrupp":{"kod":"FK:SJP","beskrivning":"Sjukpenning"}}]},` + barnbidrag + `}`, true,
			ssbtekv1.StatusKod_STATUS_KOD_OK, "OK", nil},
		{"an internal avvikelse makes the answer incomplete", `{` + fkOK + `,"avvikelser":{"formansinformation":[{"avvikelse":{"kod":"INTERNT_FEL","beskrivning":"Delsystemet svarar inte"},"formansgrupp":{"kod":"FK:BOB","beskrivning":"Bostadsbidrag"}}],` +
			`"ovrigInformation":[{"avvikelse":{"kod":"INTERNT_FEL"},"ovrigInformationstyp":{"kod":"FK:GEPI","beskrivning":"Generell personinformation"}}]},` + barnbidrag + `}`, true,
			ssbtekv1.StatusKod_STATUS_KOD_ANNATFEL, "LEFI kunde inte leverera: Bostadsbidrag (Delsystemet svarar inte); Generell personinformation", nil},
		{"the contract example's empty avvikelser list", `{` + fkOK + `,"avvikelser":[],` + barnbidrag + `}`, false, ssbtekv1.StatusKod_STATUS_KOD_OK, "OK", nil},
		{"skyddad wins over an internal avvikelse", `{` + fkOK + `,"avvikelser":{"beslut":[{"avvikelse":{"kod":"INTERNT_FEL"},"formansgrupp":{"kod":"PM:AP","beskrivning":"Allmän pension"}}]},` +
			`"formansinformation":{"generellPersoninformation":[{"skyddad":true}]}}`, true,
			ssbtekv1.StatusKod_STATUS_KOD_SKYDDADIDENTITET, "skyddad identitet. LEFI kunde inte leverera: Allmän pension", nil},
		{"skyddad wins", `{` + fkOK + `,"formansinformation":{"generellPersoninformation":[{"skyddad":true}]}}`, true, ssbtekv1.StatusKod_STATUS_KOD_SKYDDADIDENTITET, "skyddad", nil},
		{"person information alone is no förmån", `{` + fkOK + `,"formansinformation":{"generellPersoninformation":[{"skyddad":false,"namn":"N"}]}}`, true, ssbtekv1.StatusKod_STATUS_KOD_UPPGIFTSAKNAS, "saknas", nil},
	}
	c := loadContract(t, true)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := c.check(http.MethodPost, fragaURL, nil, http.StatusOK, []byte(tt.body)); (err == nil) != tt.conforms {
				t.Fatalf("fixture conforms = %v, want %v: %v", err == nil, tt.conforms, err)
			}
			res, err := mapSvar([]byte(tt.body), mediaTypeJSON)
			if err != nil {
				t.Fatal(err)
			}
			if res.GetStatus().GetKod() != tt.status || !strings.Contains(res.GetStatus().GetMeddelande(), tt.text) {
				t.Errorf("status %v, want %v with %q", res.GetStatus(), tt.status, tt.text)
			}
			if !proto.Equal(res.GetFel(), tt.fel) {
				t.Errorf("fel %v, want %v", res.GetFel(), tt.fel)
			}
			if !bytes.Equal(res.GetRadata().GetInnehall(), []byte(tt.body)) || res.GetRadata().GetMediaType() != "application/json" {
				t.Errorf("radata %q, want the body", res.GetRadata())
			}
		})
	}
}

func TestMapUnreadable(t *testing.T) {
	pm := func(beslut string) string { return `{` + fkPmOK + `,"beslut":[` + beslut + `]}` }
	for name, body := range map[string]string{
		"empty":                       ``,
		"not JSON":                    `<svar/>`,
		"null":                        `null`,
		"an array":                    `[]`,
		"a string":                    `"OK"`,
		"trailing data":               `{` + fkOK + `} {}`,
		"no utlämnare":                `{}`,
		"an empty utlämnare list":     `{"utlamnare":[]}`,
		"utlämnare of the wrong type": `{"utlamnare":{"kod":"FK"}}`,
		"unknown utlämnare":           `{"utlamnare":[{"utlamnare":{"kod":"SKV"},"tillstand":{"kod":"OK"}}]}`,
		"unknown tillstånd":           `{"utlamnare":[{"utlamnare":{"kod":"FK"},"tillstand":{"kod":"KANSKE"}}]}`,
		"no tillstånd":                `{"utlamnare":[{"utlamnare":{"kod":"FK"}}]}`,
		"unknown avvikelse":           `{` + fkOK + `,"avvikelser":{"beslut":[{"avvikelse":{"kod":"OKAND"}}]}}`,
		"avvikelser as a full list":   `{` + fkOK + `,"avvikelser":[{"avvikelse":{"kod":"INTERNT_FEL"}}]}`,
		"formansinformation a list":   `{` + fkOK + `,"formansinformation":[]}`,
		"beslut of the wrong type":    `{` + fkOK + `,"formansinformation":{"barnbidragsarende":[{"beslut":{"fattades":"2026-01-01"}}]}}`,
		"definitivt as a string":      `{` + fkOK + `,"formansinformation":{"barnbidragsarende":[{"beslut":[{"definitivt":"ja"}]}]}}`,
		"summa as a string":           `{` + fkOK + `,"formansinformation":{"bostadsbidragsarende":[{"beslut":[{"beslutatBruttobelopp":{"summa":"1850"}}]}]}}`,
		"two persons":                 `{` + fkOK + `,"formansinformation":{"generellPersoninformation":[{},{}]}}`,
		"unknown PM group":            pm(`{"formansgrupp":{"kod":"PM:XX","beskrivning":"X"}}`),
		"PM group without text":       pm(`{"formansgrupp":{"kod":"PM:AP"}}`),
		"unknown PM status":           pm(`{"beslutsstatus":{"kod":"KLART","beskrivning":"Klart"}}`),
		"unknown PM outcome":          pm(`{"beslutsutfall":{"kod":"KANSKE","beskrivning":"Kanske"}}`),
		"unknown PM frequency":        pm(`{"beslutadErsattning":[{"beslutatBelopp":{"belopp":1,"beloppsfrekvens":{"kod":"SEKUND","beskrivning":"S"}}}]}`),
		"a PM amount with decimals":   pm(`{"beslutadErsattning":[{"beslutatBelopp":{"belopp":1.5}}]}`),
		"a PM omfattning over 1":      pm(`{"beslutadErsattning":[{"omfattning":1.5}]}`),
		"a PM period without from":    pm(`{"beslutadErsattning":[{"period":{"tom":"2026-01-01"}}]}`),
		"a PM date that is no date":   pm(`{"beslutsdatum":"2026-13-01"}`),
		"a PM anspråk date":           `{` + fkPmOK + `,"ansprak":[{"ankomstdatum":"igår"}]}`,
	} {
		t.Run(name, func(t *testing.T) {
			res, err := mapSvar([]byte(body), mediaTypeJSON)
			if got := bastjanst.FelFor(err).GetFelkod(); err == nil || got != bastjanst.FelkodOlasbart {
				t.Errorf("got %v, %v; want felkod 2003", res, err)
			}
		})
	}
}

func TestReadAnswerByStatus(t *testing.T) {
	tests := []struct {
		name   string
		status int
		body   string
		felkod string // the gateway's code for an error, or LEFI's in the result
		text   string
	}{
		{"a LefiFelsvar with 403", http.StatusForbidden, `{"meddelande":"Aktören saknar behörighet.","timestamp":"2026-03-02T09:30:00Z"}`, "HTTP 403", "Aktören saknar behörighet."},
		{"a LefiFelsvar with 400", http.StatusBadRequest, `{"meddelande":"Period saknas."}`, "HTTP 400", "Period saknas."},
		{"identities are scrubbed from LEFI's text", http.StatusInternalServerError, `{"meddelande":"Fel för 19121212-1212 och 1212121212."}`, "HTTP 500", "Fel för [identitet] och [identitet]."},
		{"an error page of some proxy", http.StatusBadGateway, `<html>Bad gateway</html>`, bastjanst.FelkodOtillganglig, ""},
		{"a LefiFelsvar without a message", http.StatusInternalServerError, `{}`, bastjanst.FelkodOtillganglig, ""},
		{"no content", http.StatusNoContent, ``, bastjanst.FelkodOlasbart, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := readAnswer(&httpcall.Response{Status: tt.status, ContentType: mediaTypeJSON, Body: []byte(tt.body)})
			if err != nil {
				if got := bastjanst.FelFor(err).GetFelkod(); got != tt.felkod {
					t.Errorf("felkod %s (%v), want %s", got, err, tt.felkod)
				}
				return
			}
			want := &ssbtekv1.Fel{Kalla: ssbtekv1.Kalla_KALLA_BT, Felkod: tt.felkod, Felmeddelande: tt.text}
			if !proto.Equal(res.GetFel(), want) || string(res.GetRadata().GetInnehall()) != tt.body {
				t.Errorf("result %v, want fel %v with the body as radata", res, want)
			}
		})
	}
}
