// Package personnummer checks Swedish personal identity numbers in the
// 12-digit form YYYYMMDDNNNC, including samordningsnummer (day + 60).
package personnummer

import (
	"errors"
	"fmt"
	"time"
)

// The reasons a number is refused. Their texts never repeat the number.
var (
	ErrFormat    = errors.New("ska vara 12 siffror ÅÅÅÅMMDDNNNC")
	ErrDatum     = errors.New("innehåller inget giltigt födelsedatum")
	ErrKontroll  = errors.New("har fel kontrollsiffra")
	ErrFramtiden = errors.New("har ett födelsedatum i framtiden")
)

// HasForm reports whether s has the form of a personidentitet, twelve ASCII
// digits: the pattern the agencies' and SSBTEK's contracts check, which says
// nothing of the date or the check digit.
func HasForm(s string) bool {
	return len(s) == 12 && allDigits(s)
}

// Check reports why pnr is not a valid personnummer or samordningsnummer, or nil.
// now bounds the birth date; pass time.Now().
func Check(pnr string, now time.Time) error {
	if !HasForm(pnr) {
		return ErrFormat
	}
	year, month, day := num(pnr[0:4]), num(pnr[4:6]), num(pnr[6:8])
	if day > 60 {
		day -= 60 // samordningsnummer
	}
	birth := time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC)
	if month < 1 || month > 12 || day < 1 || birth.Day() != day || birth.Month() != time.Month(month) {
		return ErrDatum
	}
	if birth.After(now) {
		return ErrFramtiden
	}
	if !luhn(pnr[2:]) {
		return ErrKontroll
	}
	return nil
}

// IsSamordningsnummer reports whether a well-formed number is a samordningsnummer.
func IsSamordningsnummer(pnr string) bool {
	return len(pnr) == 12 && num(pnr[6:8]) > 60
}

func num(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}

// luhn checks the last digit of the 10 digits YYMMDDNNNC against the others.
func luhn(ten string) bool {
	sum := 0
	for i := 0; i < 9; i++ {
		d := int(ten[i] - '0')
		if i%2 == 0 {
			d *= 2
			if d > 9 {
				d -= 9
			}
		}
		sum += d
	}
	return (10-sum%10)%10 == int(ten[9]-'0')
}

// CheckDate parses a YYYY-MM-DD date.
func CheckDate(s string) (time.Time, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q är inget giltigt datum ÅÅÅÅ-MM-DD", s)
	}
	return t, nil
}

// Normalise returns a personidentitet in the 12-digit form the agencies and
// the audit log take, from either form the modern API accepts (seed 004
// §6.4): ÅÅÅÅMMDD-NNNN or twelve digits. Anything else is returned as it
// is, for Check (or the proto's pattern) to refuse with its reason: this is
// the one place the two forms become one, so every later comparison (the
// same-person rule, the audit extract) sees the same number.
func Normalise(s string) string {
	if len(s) == 13 && s[8] == '-' && HasForm(s[:8]+s[9:]) {
		return s[:8] + s[9:]
	}
	return s
}

// Organisationsnummer returns an organisationsnummer in the 12-digit form
// ("16" + the ten digits) the rights file and the certificates use, from
// NNNNNN-NNNN (seed 004 §12.1), NNNNNNNNNN (SSBTEK's own iip example) or
// twelve digits. Anything else is returned as it is, for the pattern check
// to refuse.
func Organisationsnummer(s string) string {
	ten := s
	if len(s) == 11 && s[6] == '-' {
		ten = s[:6] + s[7:]
	}
	if len(ten) == 10 && allDigits(ten) {
		return "16" + ten
	}
	return s
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
