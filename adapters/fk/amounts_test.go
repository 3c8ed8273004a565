package fk

import (
	"testing"

	"github.com/ssbtek/gateway/adapters"
)

func TestHundredths(t *testing.T) {
	for _, s := range []string{"0", "-0", "1", "1250", "1016.5", "152.25", "-12.5", "0.01", "007", "999999999999999",
		"9999999999999999", "1.", ".5", "1.500", "0.001", "1e2", "1E-2", "+5", "1_000", " 12", "", "-", "1/2", "0x10", "12a", "1.2x"} {
		want, wantErr := adapters.Hundredths(s)
		got, err := hundredths(s)
		if got != want || (err == nil) != (wantErr == nil) || err != nil && err.Error() != wantErr.Error() {
			t.Errorf("hundredths(%q) = %d, %v; adapters.Hundredths %d, %v", s, got, err, want, wantErr)
		}
	}
}

// FuzzHundredths: the shortcut reads every text as adapters.Hundredths does.
func FuzzHundredths(f *testing.F) {
	for _, s := range []string{"1250", "-12.5", "0.01", "1.500", "1e2", "007"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, wantErr := adapters.Hundredths(s)
		got, err := hundredths(s)
		if got != want || (err == nil) != (wantErr == nil) || err != nil && err.Error() != wantErr.Error() {
			t.Errorf("hundredths(%q) = %d, %v; adapters.Hundredths %d, %v", s, got, err, want, wantErr)
		}
	})
}
