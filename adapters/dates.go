package adapters

import (
	"errors"
	"regexp"
	"time"
)

// datePattern is an xs:date (YYYY-MM-DD with an optional time zone) or the
// compact YYYYMMDD that SKV and CSN send.
var datePattern = regexp.MustCompile(`^(?:(\d{4})-(\d{2})-(\d{2})(?:Z|[+-](?:0\d|1[0-4]):[0-5]\d)?|(\d{4})(\d{2})(\d{2}))$`)

// ErrNotDate is returned by Date for anything but a calendar date.
var ErrNotDate = errors.New("not a date (YYYY-MM-DD or YYYYMMDD)")

// Date reads an xs:date into the model's YYYY-MM-DD. A time zone is
// dropped rather than applied: the agency's own calendar day is the one
// meant.
func Date(s string) (string, error) { return date(s, false) }

// DateOrCompact is Date that also takes the compact YYYYMMDD (SKV, CSN).
func DateOrCompact(s string) (string, error) { return date(s, true) }

func date(s string, compact bool) (string, error) {
	m := datePattern.FindStringSubmatch(s)
	if m == nil || !compact && m[1] == "" {
		return "", ErrNotDate
	}
	ymd := m[1] + "-" + m[2] + "-" + m[3]
	if m[1] == "" {
		ymd = m[4] + "-" + m[5] + "-" + m[6]
	}
	if _, err := time.Parse(time.DateOnly, ymd); err != nil {
		return "", ErrNotDate
	}
	return ymd, nil
}
