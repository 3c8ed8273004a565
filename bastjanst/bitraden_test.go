package bastjanst_test

import (
	"slices"
	"testing"

	"github.com/ssbtek/gateway/bastjanst"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
)

func TestBitraden(t *testing.T) {
	b := func(n int32, namn string) *ssbtekv1.Personuppgiftsbitrade {
		return &ssbtekv1.Personuppgiftsbitrade{Ordningsnummer: n, Namn: namn}
	}
	for _, tt := range []struct {
		name string
		in   []*ssbtekv1.Personuppgiftsbitrade
		want []string
	}{
		{"none", nil, nil},
		{"numbered, out of order", []*ssbtekv1.Personuppgiftsbitrade{b(2, "B"), b(1, "A"), b(3, "C")}, []string{"A", "B", "C"}},
		{"unnumbered keep their order", []*ssbtekv1.Personuppgiftsbitrade{b(0, "X"), b(0, "Y")}, []string{"X", "Y"}},
		{"unnumbered after numbered", []*ssbtekv1.Personuppgiftsbitrade{b(0, "X"), b(2, "B"), b(0, "Y"), b(1, "A")}, []string{"A", "B", "X", "Y"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := &ssbtekv1.Fraga{Personuppgiftsbitrade: tt.in}
			var got []string
			for _, p := range bastjanst.Bitraden(f) {
				got = append(got, p.GetNamn())
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("got %v, want %v", got, tt.want)
			}
			if len(tt.in) > 0 && tt.in[0] != f.GetPersonuppgiftsbitrade()[0] {
				t.Error("the question's own list was reordered")
			}
		})
	}
}
