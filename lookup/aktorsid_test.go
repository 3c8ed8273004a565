package lookup_test

import (
	"errors"
	"testing"

	"github.com/ssbtek/gateway/bastjanst"
	"github.com/ssbtek/gateway/fanout"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
	"github.com/ssbtek/gateway/lookup"
	"github.com/ssbtek/gateway/quota"
	"github.com/ssbtek/gateway/rights"
)

// TestAktorsidIsTheIngivaresOwn: LEFI is asked under the actor id the
// rights file gives the ingivare (its organisationsnummer when it gives
// none), whatever the question says; a question naming another actor id is
// VALIDERINGSFEL naming fraga.fk.aktorsid, and FK is not asked.
func TestAktorsidIsTheIngivaresOwn(t *testing.T) {
	r, err := rights.Parse([]byte(`
organisationer:
  - {organisationsnummer: "162120002411", namn: Exempelkommun, bastjanster: [FK], ombud: ["165565869996"], aktorsid: EXEMPEL-1}
  - {organisationsnummer: "162120001420", namn: Utan, bastjanster: [FK]}
`))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, sender, ingivare, aktorsid, want string
		refused                                bool
	}{
		{"none given, the rights file's", kommun, kommun, "", "EXEMPEL-1", false},
		{"its own given", kommun, kommun, "EXEMPEL-1", "EXEMPEL-1", false},
		{"its ombud, none given", ombudet, kommun, "", "EXEMPEL-1", false},
		{"none in the rights file: the organisationsnummer", utan, utan, "", utan, false},
		{"another municipality's", kommun, kommun, utan, "", true},
		{"its ombud naming another", ombudet, kommun, "162120001420", "", true},
		{"the organisationsnummer where the rights file says otherwise", kommun, kommun, kommun, "", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fk := &recorder{b: ssbtekv1.Bastjanst_BASTJANST_FK}
			core, err := fanout.New(fanout.Config{}, []bastjanst.Adapter{fk}...)
			if err != nil {
				t.Fatal(err)
			}
			svc := lookup.New(core, nil, lookup.WithRights(rights.Static(r)), lookup.WithQuota(quota.NewMemory()))
			f := fraga(tolvan)
			f.Organisationsnummer = tt.ingivare
			if tt.aktorsid != "" {
				f.Fk = &ssbtekv1.FkParametrar{Aktorsid: tt.aktorsid}
			}
			_, err = svc.Sammanstallning(as(tt.sender), lookup.Request{Caller: lookup.Caller{Interface: "test"}, Fraga: f})
			if tt.refused {
				var ref *lookup.Refusal
				if !errors.As(err, &ref) || ref.Reason != lookup.ReasonValidation || ref.Felkod() != "1001" ||
					len(ref.Violations) != 1 || ref.Violations[0].Field != "fraga.fk.aktorsid" {
					t.Fatalf("want VALIDERINGSFEL naming fraga.fk.aktorsid, got %v", err)
				}
				if len(fk.asked()) != 0 {
					t.Error("FK was asked")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if asked := fk.asked(); len(asked) != 1 || asked[0].GetFk().GetAktorsid() != tt.want {
				t.Errorf("FK asked under %v, want %s", asked, tt.want)
			}
			if f.GetFk().GetAktorsid() != tt.aktorsid {
				t.Error("the caller's question was changed")
			}
		})
	}
}
