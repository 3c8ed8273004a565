package soap

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime"
	"strings"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
)

// The one place where XML text in another encoding becomes UTF-8, for agency
// answers and SSBTEK requests alike. encoding/xml (under etree) reads the
// XML declaration byte by byte as ASCII before it would consult a
// CharsetReader, so a UTF-16 document fails as "invalid UTF-8" whatever
// CharsetReader is set: documents are therefore turned into UTF-8 before
// anything parses them, and parsers then pass the stale encoding
// declaration through (PassThrough).

// ErrCharset is wrapped by UTF8 errors for encodings it does not know.
var ErrCharset = errors.New("unsupported character encoding")

// Charset returns the charset parameter of a Content-Type ("" when none).
func Charset(contentType string) string {
	_, params, err := mime.ParseMediaType(contentType)
	if err != nil {
		return ""
	}
	return params["charset"]
}

// UTF8 returns the XML document raw as UTF-8. Its encoding is, in this order,
// what a byte order mark says, the charset of contentType, the XML
// declaration's encoding, or the zero bytes UTF-16 puts beside the opening
// "<" (XML 1.0 Appendix F); else UTF-8. A UTF-8 document comes back as raw
// itself (less a byte order mark), not a copy. Malformed input decodes to U+FFFD, which leaves the
// document for the parser to judge.
func UTF8(raw []byte, contentType string) ([]byte, error) {
	if bytes.HasPrefix(raw, []byte{0xEF, 0xBB, 0xBF}) {
		return raw[3:], nil
	}
	enc, err := sniff(raw, contentType)
	if err != nil || enc == nil {
		return raw, err
	}
	out, err := enc.NewDecoder().Bytes(raw)
	if err != nil {
		return nil, fmt.Errorf("decoding the document: %w", err)
	}
	return out, nil
}

var (
	utf16BE = unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM)
	utf16LE = unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM)
)

// sniff returns the document's encoding; nil means UTF-8.
func sniff(raw []byte, contentType string) (encoding.Encoding, error) {
	switch {
	case bytes.HasPrefix(raw, []byte{0xFE, 0xFF}):
		return utf16BE, nil
	case bytes.HasPrefix(raw, []byte{0xFF, 0xFE}):
		return utf16LE, nil
	}
	name := Charset(contentType)
	if name == "" {
		name = declaredEncoding(raw)
		if strings.HasPrefix(strings.ToLower(name), "utf-16") {
			// A declaration read as ASCII cannot be UTF-16: it is stale,
			// left by a stack that re-encoded the document.
			name = ""
		}
	}
	if name == "" && len(raw) >= 2 {
		switch {
		case raw[0] == 0 && raw[1] != 0:
			return unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM), nil
		case raw[0] != 0 && raw[1] == 0:
			return unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM), nil
		}
	}
	switch strings.ToLower(strings.Trim(name, `"' `)) {
	case "", "utf-8", "utf8", "us-ascii", "ascii":
		return nil, nil
	case "iso-8859-1", "iso_8859-1", "latin1", "l1", "iso-latin-1":
		return charmap.ISO8859_1, nil
	case "windows-1252", "cp1252":
		return charmap.Windows1252, nil
	case "utf-16", "utf16":
		// Without a byte order mark UTF-16 is big-endian (RFC 2781).
		return unicode.UTF16(unicode.BigEndian, unicode.UseBOM), nil
	case "utf-16le":
		return unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM), nil
	case "utf-16be":
		return unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM), nil
	}
	return nil, fmt.Errorf("%w: %.40q", ErrCharset, name)
}

// declaredEncoding returns the encoding named by an ASCII XML declaration.
func declaredEncoding(raw []byte) string {
	if !bytes.HasPrefix(raw, []byte("<?xml")) {
		return ""
	}
	end := bytes.Index(raw, []byte("?>"))
	if end < 0 {
		return ""
	}
	decl := string(raw[5:end])
	i := strings.Index(decl, "encoding")
	if i < 0 {
		return ""
	}
	rest := strings.TrimLeft(decl[i+len("encoding"):], " \t\r\n")
	if !strings.HasPrefix(rest, "=") {
		return ""
	}
	rest = strings.TrimLeft(rest[1:], " \t\r\n")
	if rest == "" || (rest[0] != '"' && rest[0] != '\'') {
		return ""
	}
	q := rest[0]
	if j := strings.IndexByte(rest[1:], q); j >= 0 {
		return rest[1 : 1+j]
	}
	return ""
}

// PassThrough is the CharsetReader for documents UTF8 has already decoded:
// their declaration may still name the encoding they came in.
func PassThrough(_ string, input io.Reader) (io.Reader, error) { return input, nil }
