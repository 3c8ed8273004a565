package af

import "testing"

func TestXSDate(t *testing.T) {
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"2016-11-18", "2016-11-18", true},
		{"2016-11-18+01:00", "2016-11-18", true},
		{"2016-11-18-05:00", "2016-11-18", true},
		{"2016-11-18Z", "2016-11-18", true},
		{"2016-02-30", "", false},
		{"2016-11-18T00:00:00", "", false},
		{"18/11/2016", "", false},
		{"2016-11-18+1", "", false},
	}
	for _, tt := range tests {
		got, err := xsDate(tt.in)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("xsDate(%q) = %q, %v; want %q, ok %v", tt.in, got, err, tt.want, tt.ok)
		}
	}
}
