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
