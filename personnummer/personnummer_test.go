package personnummer

import (
	"errors"
	"testing"
	"time"
)

func TestCheck(t *testing.T) {
	now := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		pnr  string
		want error
	}{
		{"191212121212", nil},
		{"199001011239", nil},
		{"198503152384", nil},
		{"197207041190", nil},
		{"200109114520", nil},
		{"196408232814", nil},
		{"199511303498", nil},
		{"195802281625", nil},
		{"198305742218", nil}, // samordningsnummer: day 74 = 14 + 60
		{"191212121213", ErrKontroll},
		{"19121212121", ErrFormat},
		{"1912121212123", ErrFormat},
		{"19121212121a", ErrFormat},
		{"199002301234", ErrDatum}, // 30 February
		{"199013011234", ErrDatum}, // month 13
		{"199001001234", ErrDatum}, // day 0
		{"199001921234", ErrDatum}, // samordning day 32
		{"203001011234", ErrFramtiden},
	}
	for _, tt := range tests {
		if err := Check(tt.pnr, now); !errors.Is(err, tt.want) {
			t.Errorf("Check(%s) = %v, want %v", tt.pnr, err, tt.want)
		}
	}
}

func TestIsSamordningsnummer(t *testing.T) {
	if !IsSamordningsnummer("198305742218") || IsSamordningsnummer("191212121212") {
		t.Error("samordningsnummer not told apart from personnummer")
	}
}

func TestHasForm(t *testing.T) {
	for s, want := range map[string]bool{
		"191212121212": true, "191212121213": true, "000000000000": true,
		"19121212121": false, "1912121212121": false, "19121212-1212": false, "19121212121٢": false, "": false,
	} {
		if got := HasForm(s); got != want {
			t.Errorf("HasForm(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestNormalise(t *testing.T) {
	for in, want := range map[string]string{
		"191212121212":  "191212121212",
		"19121212-1212": "191212121212",
		"19830574-2218": "198305742218", // samordningsnummer
		"121212-1212":   "121212-1212",  // the 10-digit form is not accepted: the century would be a guess
		"1912121-21212": "1912121-21212",
		"19121212+1212": "19121212+1212",
		"1912121a-1212": "1912121a-1212",
		"":              "",
	} {
		if got := Normalise(in); got != want {
			t.Errorf("Normalise(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestOrganisationsnummer(t *testing.T) {
	for in, want := range map[string]string{
		"162120002411": "162120002411",
		"212000-2411":  "162120002411",
		"2120002411":   "162120002411",
		"21200-02411":  "21200-02411",
		"212000-241a":  "212000-241a",
		"":             "",
	} {
		if got := Organisationsnummer(in); got != want {
			t.Errorf("Organisationsnummer(%q) = %q, want %q", in, got, want)
		}
	}
}
