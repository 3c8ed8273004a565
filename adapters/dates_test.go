package adapters

import "testing"

func TestDate(t *testing.T) {
	for _, c := range []struct {
		in, want, wantCompact string // "" for an error
	}{
		{"2025-02-10", "2025-02-10", "2025-02-10"},
		{"2016-11-18+01:00", "2016-11-18", "2016-11-18"},
		{"2016-11-18Z", "2016-11-18", "2016-11-18"},
		{"20250210", "", "2025-02-10"},
		{"2025-02-30", "", ""},
		{"20250230", "", ""},
		{"2025-0210", "", ""},
		{"18/11/2016", "", ""},
		{"2016-11-18+15:00", "", ""},
		{"", "", ""},
	} {
		got, err := Date(c.in)
		if (err != nil) != (c.want == "") || got != c.want {
			t.Errorf("Date(%q) = %q, %v; want %q", c.in, got, err, c.want)
		}
		got, err = DateOrCompact(c.in)
		if (err != nil) != (c.wantCompact == "") || got != c.wantCompact {
			t.Errorf("DateOrCompact(%q) = %q, %v; want %q", c.in, got, err, c.wantCompact)
		}
	}
}

func TestHundredths(t *testing.T) {
	for in, want := range map[string]int64{"9416.50": 941650, "4708.49": 470849, "20": 2000, "-1.5": -150, "0.25": 25, "7.500": 750, "1e3": 100000, "5080.0": 508000} {
		if got, err := Hundredths(in); err != nil || got != want {
			t.Errorf("Hundredths(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, in := range []string{"1.005", "", "x", "1/3", "1e30"} {
		if got, err := Hundredths(in); err == nil {
			t.Errorf("Hundredths(%q) = %d, want an error", in, got)
		}
	}
	for h, want := range map[int64]int64{941650: 9417, 470849: 4708, -150: -2, -149: -1, 0: 0} {
		if got := RoundHundredths(h); got != want {
			t.Errorf("RoundHundredths(%d) = %d, want %d", h, got, want)
		}
	}
}
