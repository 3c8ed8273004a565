package legacy

import (
	"encoding/base64"
	"unicode"
	"unicode/utf8"
)

// Lexical checks of the XSD simple types the contract uses, as XML Schema
// 1.0 defines them. Every type but xsd:string has whiteSpace=collapse; since
// inner white space makes all of them invalid except base64Binary, trimming
// is all the collapsing they need.

func trimSpace(b []byte) []byte {
	for len(b) > 0 && isSpace(b[0]) {
		b = b[1:]
	}
	for len(b) > 0 && isSpace(b[len(b)-1]) {
		b = b[:len(b)-1]
	}
	return b
}

// parseBoolean reads an xsd:boolean: true, false, 1 or 0.
func parseBoolean(b []byte) (value, ok bool) {
	switch string(b) {
	case "true", "1":
		return true, true
	case "false", "0":
		return false, true
	}
	return false, false
}

// validPersonidentitet checks the contract's pattern [0-9]{12}; the check
// digit is deliberately not checked, as SSBTEK does not.
func validPersonidentitet(b []byte) bool {
	if len(b) != 12 {
		return false
	}
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

// validOrganisationsnummer checks the pattern [\d]{4}[2-9]{1}[\d]{7}, where
// \d is any Unicode decimal digit as in XML Schema regular expressions.
func validOrganisationsnummer(b []byte) bool {
	i := 0
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		b = b[n:]
		switch {
		case i == 4:
			if r < '2' || r > '9' {
				return false
			}
		case !unicode.Is(unicode.Nd, r):
			return false
		}
		i++
	}
	return i == 12
}

// parseInteger reads [+-]?[0-9]+ and reports whether it lies in [lo, hi].
func parseInteger(b []byte, lo, hi int64) (int64, bool) {
	neg := false
	if len(b) > 0 && (b[0] == '+' || b[0] == '-') {
		neg = b[0] == '-'
		b = b[1:]
	}
	if len(b) == 0 {
		return 0, false
	}
	var v int64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int64(c-'0')
		if v > 1<<40 {
			return 0, false
		}
	}
	if neg {
		v = -v
	}
	return v, v >= lo && v <= hi
}

// decodeBase64 decodes an xsd:base64Binary from which white space has been
// removed. XML Schema wants the unused bits of the last group zero, as
// strict decoding does.
func decodeBase64(b []byte) ([]byte, bool) {
	data := make([]byte, base64.StdEncoding.DecodedLen(len(b)))
	n, err := base64.StdEncoding.Strict().Decode(data, b)
	return data[:n], err == nil
}

// validDate checks an xsd:date: -?YYYY-MM-DD with an optional time zone.
func validDate(b []byte) bool {
	rest, ok := datePart(b)
	return ok && validZone(rest)
}

// dateOnly returns the -?YYYY-MM-DD part of a valid xsd:date.
func dateOnly(b []byte) []byte {
	rest, _ := datePart(b)
	return b[:len(b)-len(rest)]
}

// validDateTime checks an xsd:dateTime: a date, 'T', hh:mm:ss with optional
// fraction, and an optional time zone. 24:00:00 ends a day.
func validDateTime(b []byte) bool {
	rest, ok := datePart(b)
	if !ok || len(rest) < 9 || rest[0] != 'T' || rest[3] != ':' || rest[6] != ':' {
		return false
	}
	hh, ok1 := twoDigits(rest[1:])
	mm, ok2 := twoDigits(rest[4:])
	ss, ok3 := twoDigits(rest[7:])
	if !ok1 || !ok2 || !ok3 || mm > 59 || ss > 59 {
		return false
	}
	rest = rest[9:]
	zeroFraction := true
	if len(rest) > 0 && rest[0] == '.' {
		n := 1
		for n < len(rest) && rest[n] >= '0' && rest[n] <= '9' {
			if rest[n] != '0' {
				zeroFraction = false
			}
			n++
		}
		if n == 1 {
			return false
		}
		rest = rest[n:]
	}
	if hh > 23 && (hh != 24 || mm != 0 || ss != 0 || !zeroFraction) {
		return false
	}
	return validZone(rest)
}

// datePart reads -?YYYY-MM-DD and returns what follows it.
func datePart(b []byte) (rest []byte, ok bool) {
	p := 0
	if len(b) > 0 && b[0] == '-' {
		p = 1
	}
	start := p
	// The year modulo 400 is all the leap rule needs; years may be long.
	y400, nonZero := 0, false
	for p < len(b) && b[p] >= '0' && b[p] <= '9' {
		y400 = (y400*10 + int(b[p]-'0')) % 400
		nonZero = nonZero || b[p] != '0'
		p++
	}
	digits := p - start
	if digits < 4 || (digits > 4 && b[start] == '0') || !nonZero {
		return nil, false
	}
	if len(b) < p+6 || b[p] != '-' || b[p+3] != '-' {
		return nil, false
	}
	month, ok1 := twoDigits(b[p+1:])
	day, ok2 := twoDigits(b[p+4:])
	if !ok1 || !ok2 || month < 1 || month > 12 || day < 1 {
		return nil, false
	}
	leap := y400%4 == 0 && (y400%100 != 0 || y400 == 0)
	if day > daysIn(month, leap) {
		return nil, false
	}
	return b[p+6:], true
}

func daysIn(month int, leap bool) int {
	switch month {
	case 2:
		if leap {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// validZone checks an optional time zone: Z or ±hh:mm within ±14:00.
func validZone(b []byte) bool {
	switch {
	case len(b) == 0:
		return true
	case len(b) == 1:
		return b[0] == 'Z'
	case len(b) == 6 && (b[0] == '+' || b[0] == '-') && b[3] == ':':
		hh, ok1 := twoDigits(b[1:])
		mm, ok2 := twoDigits(b[4:])
		return ok1 && ok2 && mm <= 59 && (hh < 14 || hh == 14 && mm == 0)
	}
	return false
}

func twoDigits(b []byte) (int, bool) {
	if len(b) < 2 || b[0] < '0' || b[0] > '9' || b[1] < '0' || b[1] > '9' {
		return 0, false
	}
	return int(b[0]-'0')*10 + int(b[1]-'0'), true
}
