package adapters

import "testing"

// sameAsExact fails t unless Hundredths reads s as the math/big reading
// does: the same value, or an error with the same text.
func sameAsExact(t *testing.T, s string) {
	t.Helper()
	want, wantErr := exactHundredths(s)
	got, err := Hundredths(s)
	if got != want || (err == nil) != (wantErr == nil) || err != nil && err.Error() != wantErr.Error() {
		t.Errorf("Hundredths(%q) = %d, %v; math/big %d, %v", s, got, err, want, wantErr)
	}
}

func TestHundredthsShortcut(t *testing.T) {
	for _, s := range []string{"0", "-0", "1", "1250", "1016.5", "152.25", "-12.5", "0.01", "007", "999999999999999",
		"9999999999999999", "1.", ".5", "1.500", "0.001", "1e2", "1E-2", "+5", "1_000", " 12", "", "-", "1/2", "0x10", "12a", "1.2x"} {
		sameAsExact(t, s)
	}
}

// FuzzHundredths: the plain-number shortcut reads every text as math/big does.
func FuzzHundredths(f *testing.F) {
	for _, s := range []string{"1250", "-12.5", "0.01", "1.500", "1e2", "007"} {
		f.Add(s)
	}
	f.Fuzz(sameAsExact)
}
