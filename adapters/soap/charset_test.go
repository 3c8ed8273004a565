package soap

import (
	"errors"
	"testing"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

func TestUTF8(t *testing.T) {
	const doc = `<?xml version="1.0" encoding="utf-16"?><a>Arbetslöshetskassa ÅÄÖ</a>`
	utf16 := func(order unicode.Endianness, bom unicode.BOMPolicy) []byte {
		b, err := unicode.UTF16(order, bom).NewEncoder().Bytes([]byte(doc))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	const latinDoc = `<?xml version="1.0" encoding="ISO-8859-1"?><a>Åsa</a>`
	latin1, _ := charmap.ISO8859_1.NewEncoder().Bytes([]byte(latinDoc))
	tests := []struct {
		name        string
		in          []byte
		contentType string
		want        string
	}{
		{"UTF-8", []byte(doc), "", doc},
		{"UTF-8 with BOM", append([]byte{0xEF, 0xBB, 0xBF}, doc...), "", doc},
		{"UTF-16LE with BOM", utf16(unicode.LittleEndian, unicode.UseBOM), "", doc},
		{"UTF-16BE with BOM", utf16(unicode.BigEndian, unicode.UseBOM), "", doc},
		{"UTF-16LE without BOM", utf16(unicode.LittleEndian, unicode.IgnoreBOM), "", doc},
		{"UTF-16BE without BOM", utf16(unicode.BigEndian, unicode.IgnoreBOM), "", doc},
		{"Latin-1 by declaration", latin1, "", latinDoc},
		{"Latin-1 by Content-Type", latin1, "text/xml; charset=iso-8859-1", latinDoc},
		{"empty", nil, "", ""},
		{"one byte", []byte("<"), "", "<"},
		{"not XML", []byte("& not xml {"), "", "& not xml {"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := UTF8(tc.in, tc.contentType)
			if err != nil {
				t.Fatalf("UTF8: %v", err)
			}
			if string(got) != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
	if _, err := UTF8([]byte(`<a/>`), "text/xml; charset=ebcdic"); !errors.Is(err, ErrCharset) {
		t.Errorf("unknown charset: err = %v, want ErrCharset", err)
	}
}
