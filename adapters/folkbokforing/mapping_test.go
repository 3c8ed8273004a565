package folkbokforing

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/beevik/etree"
	"google.golang.org/protobuf/proto"

	"github.com/ssbtek/gateway/adapters"
	"github.com/ssbtek/gateway/adapters/simkit"
	"github.com/ssbtek/gateway/adapters/soap"
	"github.com/ssbtek/gateway/bastjanst"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
	"github.com/ssbtek/gateway/internal/adaptertest"
)

// ask asks the simulator about pnr through the real adapter over loopback,
// and returns the result and the question as it went on the wire.
func ask(t *testing.T, pnr string) (*ssbtekv1.BastjanstResultat, []byte) {
	t.Helper()
	srv := adaptertest.Serve(t, Agency(), NewSimulator())
	f := adaptertest.Fraga(pnr)
	f.Personuppgiftsbitrade = []*ssbtekv1.Personuppgiftsbitrade{{Organisationsnummer: "165565869996", Namn: "Ombudet AB"}}
	res, err := srv.Adapter(Agency()).Hamta(t.Context(), f, nil)
	if err != nil {
		t.Fatalf("Hamta: %v", err)
	}
	return res, srv.Last(t).Request
}

// The question carries §12.1's fields in §12.1's forms: ÅÅÅÅMMDD-NNNN and
// NNNNNN-NNNN, the biträden, the purpose and the legal basis.
func TestQuestionOnTheWire(t *testing.T) {
	_, q := ask(t, simkit.Tolvan)
	env := adaptertest.Envelope(t, q)
	for path, want := range map[string]string{
		"organisationsnummer":                       "212000-0142",
		"identitetsbeteckningfysiskperson":          "19121212-1212",
		"personuppgiftsbitrade/organisationsnummer": "556586-9996",
		"personuppgiftsbitrade/namn":                "Ombudet AB",
		"syfte":                                     adaptertest.Fraga(simkit.Tolvan).GetSyfte(),
	} {
		if got := soap.Text(env.Body, strings.Split(path, "/")...); got != want {
			t.Errorf("%s = %q, want %q", path, got, want)
		}
	}
}

// Each test person's answer, typed.
func TestTestPersons(t *testing.T) {
	for _, tt := range []struct {
		pnr  string
		kod  ssbtekv1.StatusKod
		want *ssbtekv1.Personuppgifter
	}{
		{simkit.Tolvan, ssbtekv1.StatusKod_STATUS_KOD_OK, &ssbtekv1.Personuppgifter{
			Personidentitet: simkit.Tolvan, FullstandigtNamn: "Tolvansson Tolvan", Civilstand: "Gift", Medborgarskap: "Sverige",
			Folkbokforingsadress: &ssbtekv1.Adress{Utdelningsadress: "Tolvgatan 12 lgh 1201", Postnummer: "12121", Postort: "TOLVSTAD"},
			Barn:                 []*ssbtekv1.Barn{{Personidentitet: TolvansBarn, FullstandigtNamn: "Tolvansson Tolva", Vardnadshavare: true}},
			Samhorig:             &ssbtekv1.Samhorig{Personidentitet: TolvansMake, FullstandigtNamn: "Tolvansson Elva", Samhorighet: "Make/maka"},
		}},
		{simkit.Skyddad, ssbtekv1.StatusKod_STATUS_KOD_SKYDDADIDENTITET, &ssbtekv1.Personuppgifter{
			Personidentitet: simkit.Skyddad, FullstandigtNamn: "Andersson Sara", Civilstand: "Ogift", Medborgarskap: "Sverige", SkyddadIdentitet: true,
		}},
		{simkit.Samordningsnummer, ssbtekv1.StatusKod_STATUS_KOD_OK, &ssbtekv1.Personuppgifter{
			Personidentitet: simkit.Samordningsnummer, FullstandigtNamn: "Kowalski Jan", Civilstand: "Ogift", Medborgarskap: "Polen",
			Vistelseadress: &ssbtekv1.Adress{Utdelningsadress: "Hamngatan 3", Coadress: "Bemanning Väst AB", Postnummer: "41117", Postort: "GÖTEBORG"},
		}},
		{simkit.Student, ssbtekv1.StatusKod_STATUS_KOD_OK, &ssbtekv1.Personuppgifter{
			Personidentitet: simkit.Student, FullstandigtNamn: "Student Stina", Civilstand: "Ogift", Medborgarskap: "Sverige",
			Folkbokforingsadress: &ssbtekv1.Adress{Utdelningsadress: "Björkvägen 5", Postnummer: "57131", Postort: "NÄSSJÖ"},
			Vistelseadress:       &ssbtekv1.Adress{Utdelningsadress: "Studentvägen 14 lgh 1102", Coadress: "Studentbostäder i Lund", Postnummer: "22363", Postort: "LUND"},
		}},
		{adaptertest.Nobody, ssbtekv1.StatusKod_STATUS_KOD_UPPGIFTSAKNAS, nil},
		{"191212121213", ssbtekv1.StatusKod_STATUS_KOD_IDENTITETFELAKTIG, nil},
	} {
		t.Run(tt.pnr, func(t *testing.T) {
			res, _ := ask(t, tt.pnr)
			if res.GetStatus().GetKod() != tt.kod || res.GetFel() != nil {
				t.Errorf("status %v, fel %v; want %v and no error", res.GetStatus(), res.GetFel(), tt.kod)
			}
			if got := res.GetFolkbokforing(); !proto.Equal(got, tt.want) {
				t.Errorf("personuppgifter\n got %v\nwant %v", got, tt.want)
			}
		})
	}
}

// The register's refusals are its own errors, kalla BT with its code.
func TestRefusalsAreNativeErrors(t *testing.T) {
	for pnr, kod := range map[string]ssbtekv1.StatusKod{
		simkit.Felperson: ssbtekv1.StatusKod_STATUS_KOD_ANNATFEL,
		"199002301234":   ssbtekv1.StatusKod_STATUS_KOD_VALIDERINGSFEL, // 30 February
	} {
		res, _ := ask(t, pnr)
		fel := res.GetFel()
		want := strings.TrimPrefix(kod.String(), "STATUS_KOD_")
		if res.GetStatus().GetKod() != kod || fel.GetKalla() != ssbtekv1.Kalla_KALLA_BT || fel.GetFelkod() != want || fel.GetFelmeddelande() == "" {
			t.Errorf("%s: status %v, fel %v; want %v, kalla BT, felkod %s", pnr, res.GetStatus(), fel, kod, want)
		}
	}
}

// An answer about someone else, or one that does not hold together, is
// unreadable (2003), and its error names no personnummer.
func TestUnreadableAnswers(t *testing.T) {
	tolvan := adaptertest.Fraga(simkit.Tolvan)
	for name, mutate := range map[string]func(body string) string{
		"another person": func(b string) string { return strings.Replace(b, "19121212-1212", "19900101-1239", 1) },
		"unknown status": func(b string) string { return strings.Replace(b, ">OK<", ">KANSKE<", 1) },
		"OK without data": func(b string) string {
			return b[:strings.Index(b, "<fb:personuppgifter>")] + "</fb:HamtaPersonuppgifterResponse>"
		},
		"no name":              func(b string) string { return strings.Replace(b, "Tolvansson Tolvan", "", 1) },
		"bad vardnadshavare":   func(b string) string { return strings.Replace(b, ">true<", ">ja<", 1) },
		"address without gata": func(b string) string { return strings.Replace(b, "Tolvgatan 12 lgh 1201", "", 1) },
		"child's identity":     func(b string) string { return strings.Replace(b, "20150505-2421", "2015", 1) },
	} {
		t.Run(name, func(t *testing.T) {
			body := string(soap.Bytes(svar(Namespace, simkit.Tolvan)))
			raw := soap.Build(mustElement(t, mutate(body)))
			env, err := soap.Parse(raw)
			if err != nil {
				t.Fatal(err)
			}
			_, err = readResponse(env, tolvan)
			if adaptertest.Felkod(err) != bastjanst.FelkodOlasbart {
				t.Fatalf("err = %v, want 2003", err)
			}
			if strings.Contains(err.Error(), simkit.Tolvan[2:8]) {
				t.Errorf("error text holds a personnummer: %v", err)
			}
		})
	}
	if _, err := readResponse(adaptertest.Envelope(t, soap.Build(svar(Namespace, simkit.Tolvan))), adaptertest.Fraga(simkit.Jobbsokare)); !strings.Contains(fmt.Sprint(err), adapters.ErrOtherPerson.Error()) {
		t.Errorf("Tolvan's data asked about another: %v", err)
	}
}

func mustElement(t *testing.T, xml string) *etree.Element {
	t.Helper()
	el, err := simkit.Document(xml)
	if err != nil {
		t.Fatal(err)
	}
	return el
}

// The fuzz corpus holds the simulator's answers (written with -update).
func TestFuzzSeeds(t *testing.T) {
	dir := filepath.Join("testdata", "fuzz", "FuzzMapping")
	for _, pnr := range []string{simkit.Tolvan, simkit.Skyddad, simkit.Student, simkit.Felperson, "191212121213"} {
		raw := soap.Build(svar(Namespace, pnr))
		seed := fmt.Appendf(nil, "go test fuzz v1\n[]byte(%q)\n", raw)
		path := filepath.Join(dir, "answer_"+pnr)
		if *adaptertest.Update {
			if err := os.WriteFile(path, seed, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if got, err := os.ReadFile(path); err != nil || string(got) != string(seed) {
			t.Errorf("%s is missing or stale: run go test -run TestFuzzSeeds -update", path)
		}
	}
}
