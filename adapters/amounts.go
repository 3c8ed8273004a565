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
func Hundredths(s string) (int64, error) {
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
