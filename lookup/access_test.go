package lookup_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"google.golang.org/protobuf/reflect/protoreflect"

	"github.com/ssbtek/gateway/bastjanst"
	"github.com/ssbtek/gateway/fanout"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
	"github.com/ssbtek/gateway/identity"
	"github.com/ssbtek/gateway/lookup"
	"github.com/ssbtek/gateway/quota"
	"github.com/ssbtek/gateway/rights"
)

const (
	kommun   = "162120002411" // Exempelkommun
	ombudet  = "165565869996" // the hosting company, ombud of Exempelkommun
	utan     = "162120001420" // a municipality without TNS medgivande
	tolvan   = "191212121212"
	pensionr = "196408232814"
)

const rightsYAML = `
organisationer:
  - organisationsnummer: "162120002411"
    namn: Exempelkommun
    bastjanster: [AF, CSN, FK, SKV, SO, TNS, MIV]
    ombud: ["165565869996"]
    dagskvot: 3
  - organisationsnummer: "162120001420"
    namn: Utan medgivande
    bastjanster: [AF, CSN, FK, SKV, SO, MIV]
`

// recorder answers OK and remembers every question it was asked.
type recorder struct {
	b      ssbtekv1.Bastjanst
	mu     sync.Mutex
	fragor []*ssbtekv1.Fraga
}

func (a *recorder) Bastjanst() ssbtekv1.Bastjanst { return a.b }
func (a *recorder) Testa(context.Context) error   { return nil }
func (a *recorder) Hamta(_ context.Context, f *ssbtekv1.Fraga, _ *ssbtekv1.Tidsperiod) (*ssbtekv1.BastjanstResultat, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.fragor = append(a.fragor, f)
	return &ssbtekv1.BastjanstResultat{Status: bastjanst.Status(true, false)}, nil
}

func (a *recorder) asked() []*ssbtekv1.Fraga {
	a.mu.Lock()
	defer a.mu.Unlock()
	return append([]*ssbtekv1.Fraga(nil), a.fragor...)
}

type rig struct {
	svc      *lookup.Service
	adapters map[ssbtekv1.Bastjanst]*recorder
}

func newRig(t *testing.T) *rig {
	t.Helper()
	r, err := rights.Parse([]byte(rightsYAML))
	if err != nil {
		t.Fatal(err)
	}
	rg := &rig{adapters: map[ssbtekv1.Bastjanst]*recorder{}}
	var list []bastjanst.Adapter
	for _, b := range bastjanst.All() {
		rg.adapters[b] = &recorder{b: b}
		list = append(list, rg.adapters[b])
	}
	core, err := fanout.New(fanout.Config{}, list...)
	if err != nil {
		t.Fatal(err)
	}
	rg.svc = lookup.New(core, nil, lookup.WithRights(rights.Static(r)), lookup.WithQuota(quota.NewMemory()))
	return rg
}

func (rg *rig) askedAny() bool {
	for _, a := range rg.adapters {
		if len(a.asked()) > 0 {
			return true
		}
	}
	return false
}

func fraga(pnr string) *ssbtekv1.Fraga {
	return &ssbtekv1.Fraga{
		Organisationsnummer: kommun, Ingivare: "Exempelkommun", Handlaggare: "h1",
		Personidentitet: pnr, Arendeidentitet: "A1", Syfte: "Utredning av ekonomiskt bistånd", Lagtext: "SoL 11 kap. 11 §",
		Period: &ssbtekv1.Tidsperiod{From: "2026-08-01", Tom: "2026-10-31"},
	}
}

func as(orgnr string) context.Context {
	return identity.NewContext(context.Background(), identity.Caller{Organisationsnummer: orgnr, SerialNumber: orgnr, Subject: "SERIALNUMBER=" + orgnr})
}

func lefi(t *testing.T, json string) *ssbtekv1.Fraga {
	f := fraga("199001011239")
	f.Fk = &ssbtekv1.FkParametrar{LefiJsonFraga: []byte(json)}
	f.Bastjanster = []ssbtekv1.Bastjanst{ssbtekv1.Bastjanst_BASTJANST_FK}
	return f
}

// TestRefusals: every question the rules refuse gets its reason and fault
// code, and no agency is asked.
func TestRefusals(t *testing.T) {
	long := fraga(tolvan)
	long.Syfte = strings.Repeat("x", 900_000)
	tests := []struct {
		name     string
		ctx      context.Context
		customer string
		f        *ssbtekv1.Fraga
		reason   lookup.Reason
		felkod   string
		field    string
	}{
		{"no certificate", context.Background(), "", fraga(tolvan), lookup.ReasonIdentity, "1002", ""},
		{"certificate without organisation", identity.WithError(context.Background(), identity.ErrNoOrganisation), "", fraga(tolvan), lookup.ReasonIdentity, "1002", ""},
		{"ingivare is not the sender", as(utan), "", fraga(tolvan), lookup.ReasonRights, "1002", ""},
		{"ingivare not connected", as("162120009999"), "", func() *ssbtekv1.Fraga { f := fraga(tolvan); f.Organisationsnummer = "162120009999"; return f }(), lookup.ReasonRights, "1002", ""},
		{"iip Address names another organisation", as(ombudet), "2120001420", fraga(tolvan), lookup.ReasonRights, "1002", ""},
		{"ombud of another municipality", as(ombudet), "", func() *ssbtekv1.Fraga { f := fraga(tolvan); f.Organisationsnummer = utan; return f }(), lookup.ReasonRights, "1002", ""},
		{"900 KB syfte", as(kommun), "", long, lookup.ReasonValidation, "1001", "fraga.syfte"},
		{"no lagtext", as(kommun), "", func() *ssbtekv1.Fraga { f := fraga(tolvan); f.Lagtext = ""; return f }(), lookup.ReasonValidation, "1001", "fraga.lagtext"},
		{"LEFI question about the pensioner", as(kommun), "", lefi(t, `{"personnummer":"`+pensionr+`","period":{"from":"2025-01-01","tom":"2026-10-31"},"beslut":["PM:AP"]}`), lookup.ReasonSamePerson, "1001", "fraga.fk.lefi_json_fraga"},
		{"LEFI question about the pensioner, 10 digits", as(kommun), "", lefi(t, `{"personnummer":"`+pensionr[2:]+`"}`), lookup.ReasonSamePerson, "1001", "fraga.fk.lefi_json_fraga"},
		{"LEFI personnummer twice", as(kommun), "", lefi(t, `{"personnummer":"199001011239","personnummer":"`+pensionr+`"}`), lookup.ReasonSamePerson, "1001", "fraga.fk.lefi_json_fraga"},
		{"LEFI personnummer spelt otherwise", as(kommun), "", lefi(t, `{"personnummer":"199001011239","Personnummer":"`+pensionr+`"}`), lookup.ReasonSamePerson, "1001", "fraga.fk.lefi_json_fraga"},
		{"LEFI escaped key", as(kommun), "", lefi(t, `{"personnummer":"199001011239","person\u006eummer":"`+pensionr+`"}`), lookup.ReasonSamePerson, "1001", "fraga.fk.lefi_json_fraga"},
		{"LEFI without personnummer", as(kommun), "", lefi(t, `{"period":{}}`), lookup.ReasonSamePerson, "1001", "fraga.fk.lefi_json_fraga"},
		{"LEFI two objects", as(kommun), "", lefi(t, `{"personnummer":"199001011239"}{"personnummer":"`+pensionr+`"}`), lookup.ReasonSamePerson, "1001", "fraga.fk.lefi_json_fraga"},
		{"LEFI not JSON", as(kommun), "", lefi(t, `personnummer=`+pensionr), lookup.ReasonSamePerson, "1001", "fraga.fk.lefi_json_fraga"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rg := newRig(t)
			_, err := rg.svc.Sammanstallning(tt.ctx, lookup.Request{Caller: lookup.Caller{Interface: "test", Customer: tt.customer}, Fraga: tt.f})
			var r *lookup.Refusal
			if !errors.As(err, &r) {
				t.Fatalf("want a refusal, got %v", err)
			}
			if r.Reason != tt.reason || r.Felkod() != tt.felkod {
				t.Errorf("refused %s/%s, want %s/%s: %v", r.Reason, r.Felkod(), tt.reason, tt.felkod, r)
			}
			if tt.field != "" && (len(r.Violations) == 0 || r.Violations[0].Field != tt.field) {
				t.Errorf("violations %v, want field %s", r.Violations, tt.field)
			}
			if strings.Contains(r.Error(), pensionr[2:]) || strings.Contains(r.Error(), tolvan) {
				t.Errorf("the refusal quotes a personnummer: %v", r)
			}
			if rg.askedAny() {
				t.Error("an agency was asked")
			}
		})
	}
}

// TestAdmitted: what the rules let through is answered, with the ombud the
// certificate names passed on to the agencies.
func TestAdmitted(t *testing.T) {
	tests := []struct {
		name, sender, customer, wantOmbud string
		f                                 *ssbtekv1.Fraga
	}{
		{"the ingivare itself", kommun, "", "", fraga(tolvan)},
		{"the ingivare itself, a forged ombud field is dropped", kommun, "", "", func() *ssbtekv1.Fraga { f := fraga(tolvan); f.Ombud = "165566778899"; return f }()},
		{"its ombud with the customer in the iip header (10 digits)", ombudet, "2120002411", ombudet, fraga(tolvan)},
		{"its ombud with the customer in the iip header (12 digits)", ombudet, kommun, ombudet, fraga(tolvan)},
		{"its ombud without iip header", ombudet, "", ombudet, fraga(tolvan)},
		{"LEFI question about the same person, 10 digits", kommun, "", "", lefi(t, `{"personnummer":"9001011239","period":{"from":"2025-01-01","tom":"2026-10-31"}}`)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rg := newRig(t)
			res, err := rg.svc.Sammanstallning(as(tt.sender), lookup.Request{Caller: lookup.Caller{Interface: "test", Customer: tt.customer}, Fraga: tt.f})
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range res.GetResultat() {
				if r.GetFel() != nil {
					t.Errorf("%s: %v", bastjanst.Kod(r.GetBastjanst()), r.GetFel())
				}
			}
			asked := rg.adapters[res.GetResultat()[0].GetBastjanst()].asked()
			if len(asked) != 1 || asked[0].GetOmbud() != tt.wantOmbud {
				t.Errorf("agency saw ombud %q, want %q", asked[0].GetOmbud(), tt.wantOmbud)
			}
		})
	}
}

// TestNoMedgivande: an ingivare without Transportstyrelsen's medgivande gets
// ATKOMSTNEKAD with felkod 2004 for TNS, which is not asked, and the six
// others' answers.
func TestNoMedgivande(t *testing.T) {
	rg := newRig(t)
	f := fraga(tolvan)
	f.Organisationsnummer = utan
	for _, urval := range [][]ssbtekv1.Bastjanst{nil, {ssbtekv1.Bastjanst_BASTJANST_TNS, ssbtekv1.Bastjanst_BASTJANST_AF, ssbtekv1.Bastjanst_BASTJANST_TNS}} {
		f.Bastjanster = urval
		res, err := rg.svc.Sammanstallning(as(utan), lookup.Request{Fraga: f})
		if err != nil {
			t.Fatal(err)
		}
		want := len(bastjanst.All())
		if urval != nil {
			want = 2
		}
		if len(res.GetResultat()) != want {
			t.Fatalf("%d results, want %d", len(res.GetResultat()), want)
		}
		for i, r := range res.GetResultat() {
			if i > 0 && r.GetBastjanst() <= res.GetResultat()[i-1].GetBastjanst() {
				t.Errorf("results out of order: %v", res.GetResultat())
			}
			switch r.GetBastjanst() {
			case ssbtekv1.Bastjanst_BASTJANST_TNS:
				if r.GetStatus().GetKod() != ssbtekv1.StatusKod_STATUS_KOD_ATKOMSTNEKAD || r.GetFel().GetFelkod() != "2004" || r.GetFel().GetKalla() != ssbtekv1.Kalla_KALLA_SSBT {
					t.Errorf("TNS: %v", r)
				}
			default:
				if r.GetFel() != nil || r.GetStatus().GetKod() != ssbtekv1.StatusKod_STATUS_KOD_OK {
					t.Errorf("%s: %v", bastjanst.Kod(r.GetBastjanst()), r)
				}
			}
		}
	}
	if n := len(rg.adapters[ssbtekv1.Bastjanst_BASTJANST_TNS].asked()); n != 0 {
		t.Errorf("TNS was asked %d times", n)
	}
	// Asked alone, TNS is the same refusal as an answer, not an error.
	r, err := rg.svc.Bastjanst(as(utan), lookup.Request{Fraga: f}, ssbtekv1.Bastjanst_BASTJANST_TNS)
	if err != nil || r.GetFel().GetFelkod() != "2004" {
		t.Errorf("TNS alone: %v %v", r, err)
	}
}

// TestDailyQuota: the question after the day's quota is refused with 1004
// and a Retry-After until the next Swedish day, and counts per ingivare.
func TestDailyQuota(t *testing.T) {
	rg := newRig(t)
	for i := range 3 {
		if _, err := rg.svc.Sammanstallning(as(kommun), lookup.Request{Fraga: fraga(tolvan)}); err != nil {
			t.Fatalf("question %d: %v", i+1, err)
		}
	}
	_, err := rg.svc.Sammanstallning(as(ombudet), lookup.Request{Fraga: fraga(tolvan)})
	var r *lookup.Refusal
	if !errors.As(err, &r) || r.Reason != lookup.ReasonQuota || r.Felkod() != "1004" || r.RetryAfter <= 0 || r.RetryAfter > 25*time.Hour {
		t.Fatalf("4th question of the day (through the ombud): %v", err)
	}
	f := fraga(tolvan)
	f.Organisationsnummer = utan
	if _, err := rg.svc.Sammanstallning(as(utan), lookup.Request{Fraga: f}); err != nil {
		t.Errorf("another ingivare's quota is its own: %v", err)
	}
}

// TestAgencyParametersKnown fails when an agency's parameters gain a field:
// whoever adds one must decide whether it can name a person, and extend the
// same-person rule (lookup/sameperson.go) if it can.
func TestAgencyParametersKnown(t *testing.T) {
	known := map[protoreflect.FullName][]string{
		// grupper are LEFI group codes (pattern ^(FK|PM):[A-Z]{1,8}$): no person.
		"ssbtek.v1.FkParametrar": {"version", "aktorsid", "lefi_json_fraga", "grupper"},
		// beskattningsuppgifter picks Skatteverket's interface; it names nobody.
		"ssbtek.v1.SkvParametrar": {"ar", "foretagsinformation", "individuppgifter", "skattekonto", "skatteuppgifter", "beskattningsbilagor", "beskattningsuppgifter"},
	}
	fd := (&ssbtekv1.Fraga{}).ProtoReflect().Descriptor().Fields()
	for i := range fd.Len() {
		m := fd.Get(i).Message()
		if m == nil || !strings.HasSuffix(string(m.Name()), "Parametrar") {
			continue
		}
		want, ok := known[m.FullName()]
		if !ok {
			t.Errorf("Fraga has agency parameters %s the same-person rule does not know", m.FullName())
			continue
		}
		var have []string
		for j := range m.Fields().Len() {
			have = append(have, string(m.Fields().Get(j).Name()))
		}
		if strings.Join(have, ",") != strings.Join(want, ",") {
			t.Errorf("%s fields %v, known %v: check them against the same-person rule", m.FullName(), have, want)
		}
	}
}

// TestRulesCheckedStillChecksTheRest: a question whose field rules the
// interface has checked is still held to the same-person rule, and to the
// field rules again once the gateway has changed it (the ombud the
// certificate names).
func TestRulesCheckedStillChecksTheRest(t *testing.T) {
	noLagtext := fraga(tolvan)
	noLagtext.Lagtext = ""
	for _, tt := range []struct {
		name   string
		ctx    context.Context
		f      *ssbtekv1.Fraga
		reason lookup.Reason
		field  string
	}{
		{"LEFI question about the pensioner", as(kommun), lefi(t, `{"personnummer":"`+pensionr+`"}`), lookup.ReasonSamePerson, "fraga.fk.lefi_json_fraga"},
		{"ombud set by the gateway", as(ombudet), noLagtext, lookup.ReasonValidation, "fraga.lagtext"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			rg := newRig(t)
			_, err := rg.svc.Sammanstallning(tt.ctx, lookup.Request{Caller: lookup.Caller{Interface: "test"}, Fraga: tt.f, RulesChecked: true})
			var r *lookup.Refusal
			if !errors.As(err, &r) {
				t.Fatalf("want a refusal, got %v", err)
			}
			if r.Reason != tt.reason || len(r.Violations) == 0 || r.Violations[0].Field != tt.field {
				t.Errorf("refused %s %v, want %s naming %s", r.Reason, r.Violations, tt.reason, tt.field)
			}
			if rg.askedAny() {
				t.Error("an agency was asked")
			}
		})
	}
}
