package adapters

import (
	"errors"
	"math/big"
	"strings"
)

// Hundredths reads a decimal amount (an xs:decimal, a JSON number) exactly in
// hundredths: öre of a krona amount, hundredths of a day. A value finer than
// that cannot be held exactly and is refused rather than rounded (trailing
// zeros are fine), as is anything outside int64. No floating point is involved.
//
// A plain number with at most two decimals, what agencies send nearly always,
// is read directly: math/big's exact reading costs a dozen allocations an
// amount, and an answer has dozens. Anything else, errors included, is read
// by math/big (exactHundredths); FuzzHundredths holds the two to the same
// results.
func Hundredths(s string) (int64, error) {
	if n, ok := plainHundredths(s); ok {
		return n, nil
	}
	return exactHundredths(s)
}

// plainHundredths reads -?D{1,15}(.D{1,2})? exactly in hundredths; ok false
// for any other text. Fifteen digits keep the result well inside int64.
func plainHundredths(s string) (int64, bool) {
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	whole, frac, dot := strings.Cut(s, ".")
	if whole == "" || len(whole) > 15 || len(frac) > 2 || dot && frac == "" {
		return 0, false
	}
	var n int64
	for _, c := range []byte(whole) {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int64(c-'0')
	}
	// The two decimal places, the missing ones zero.
	for i := range 2 {
		n *= 10
		if i < len(frac) {
			if c := frac[i]; c >= '0' && c <= '9' {
				n += int64(c - '0')
			} else {
				return 0, false
			}
		}
	}
	if neg {
		n = -n
	}
	return n, true
}

// exactHundredths is Hundredths through math/big, for every text.
func exactHundredths(s string) (int64, error) {
	s = strings.TrimSpace(s)
	// big.Rat also reads fractions such as "1/3", which no agency sends.
	if s == "" || strings.Contains(s, "/") {
		return 0, errors.New("not a decimal number")
	}
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		return 0, errors.New("not a decimal number")
	}
	r.Mul(r, big.NewRat(100, 1))
	if !r.IsInt() {
		return 0, errors.New("finer than hundredths")
	}
	if !r.Num().IsInt64() {
		return 0, errors.New("out of range")
	}
	return r.Num().Int64(), nil
}

// RoundHundredths rounds hundredths to whole units, half away from zero:
// 50 öre and up round up.
func RoundHundredths(h int64) int64 {
	if h < 0 {
		return -((-h + 50) / 100)
	}
	return (h + 50) / 100
}

// Ore is whole kronor in öre, as the optional *_ore fields take it.
func Ore(kronor int64) *int64 {
	o := kronor * 100
	return &o
}
