package so

import (
	"bytes"
	"io"
	"testing"

	"golang.org/x/text/encoding/unicode"
)

func TestUTF8Reader(t *testing.T) {
	const doc = `<?xml version="1.0" encoding="utf-16"?><a>Arbetslöshetskassa ÅÄÖ</a>`
	utf16 := func(order unicode.Endianness, bom unicode.BOMPolicy) []byte {
		b, err := unicode.UTF16(order, bom).NewEncoder().Bytes([]byte(doc))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	tests := []struct {
		name string
		in   []byte
		want string
	}{
		{"UTF-8", []byte(doc), doc},
		{"UTF-8 with BOM", append([]byte{0xEF, 0xBB, 0xBF}, doc...), doc},
		{"UTF-16LE with BOM", utf16(unicode.LittleEndian, unicode.UseBOM), doc},
		{"UTF-16BE with BOM", utf16(unicode.BigEndian, unicode.UseBOM), doc},
		{"UTF-16LE without BOM", utf16(unicode.LittleEndian, unicode.IgnoreBOM), doc},
		{"UTF-16BE without BOM", utf16(unicode.BigEndian, unicode.IgnoreBOM), doc},
		{"empty", nil, ""},
		{"one byte", []byte("<"), "<"},
		{"not XML", []byte("& not xml {"), "& not xml {"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := io.ReadAll(utf8Reader(bytes.NewReader(tc.in)))
			if err != nil {
				t.Fatalf("read: %v", err)
			}
			if string(got) != tc.want {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

// A broken connection must surface as a read error, not as a shorter document.
func TestUTF8ReaderPassesReadErrors(t *testing.T) {
	b, _ := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().Bytes([]byte("<a>hej</a>"))
	_, err := io.ReadAll(utf8Reader(io.MultiReader(bytes.NewReader(b[:7]), &failing{})))
	if err != io.ErrUnexpectedEOF {
		t.Errorf("err = %v, want %v", err, io.ErrUnexpectedEOF)
	}
}

type failing struct{}

func (*failing) Read([]byte) (int, error) { return 0, io.ErrUnexpectedEOF }
