package httpcall

import (
	"bytes"
	"errors"
	"io"
	"testing"
	"testing/iotest"
)

func TestReadAllIsIoReadAll(t *testing.T) {
	body := bytes.Repeat([]byte("<a>Åsa</a>"), 300)
	readers := map[string]func() io.Reader{
		"whole":    func() io.Reader { return bytes.NewReader(body) },
		"one byte": func() io.Reader { return iotest.OneByteReader(bytes.NewReader(body)) },
		"half":     func() io.Reader { return iotest.HalfReader(bytes.NewReader(body)) },
		"data+EOF": func() io.Reader { return iotest.DataErrReader(bytes.NewReader(body)) },
		"broken": func() io.Reader {
			return io.MultiReader(bytes.NewReader(body[:100]), iotest.ErrReader(errors.New("reset")))
		},
	}
	n := int64(len(body))
	for name, r := range readers {
		for _, announced := range []int64{-1, 0, 1, n - 1, n, n + 1, 2 * n, DefaultMaxBody + 1} {
			want, wantErr := io.ReadAll(r())
			got, err := readAll(r(), announced, DefaultMaxBody)
			if !bytes.Equal(got, want) || (err == nil) != (wantErr == nil) {
				t.Errorf("%s, %d announced: %d bytes, %v; io.ReadAll %d bytes, %v", name, announced, len(got), err, len(want), wantErr)
			}
		}
	}
}
