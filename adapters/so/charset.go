package so

import (
	"bufio"
	"io"
	"net/http"

	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"

	"github.com/ssbtek/gateway/adapters/soap"
)

// BizTalk answers in UTF-8 or UTF-16, depending on how its send port is set
// up. encoding/xml (under etree) reads the XML declaration byte by byte as
// ASCII before it would ever consult a ReadSettings.CharsetReader, so a UTF-16
// document fails as "invalid UTF-8" no matter which CharsetReader is set. The
// answer is therefore turned into UTF-8 before anything parses it: the
// transport below wraps every answer body, so the shared soap.Client keeps
// doing the limits, status classification and strict parsing. Its pass-through
// charset handling then ignores the now-stale encoding="utf-16" declaration.
//
// The size limit counts decoded bytes; a UTF-16 answer may thus be up to about
// twice the limit on the wire, which still bounds it.

// utf8Client returns a copy of hc (nil means soap.DefaultHTTPClient) whose
// answers arrive as UTF-8.
func utf8Client(hc *http.Client) *http.Client {
	if hc == nil {
		hc = soap.DefaultHTTPClient()
	}
	c := *hc
	base := c.Transport
	if base == nil {
		base = http.DefaultTransport
	}
	c.Transport = utf8Transport{base: base}
	return &c
}

// utf8Transport decodes every answer body to UTF-8.
type utf8Transport struct{ base http.RoundTripper }

func (t utf8Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := t.base.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	resp.Body = &utf8Body{body: resp.Body}
	return resp, nil
}

// utf8Body sniffs the encoding on the first Read rather than in RoundTrip,
// so that waiting for the first bytes happens where the caller's context and
// read errors are already handled.
type utf8Body struct {
	body io.ReadCloser
	r    io.Reader
}

func (b *utf8Body) Read(p []byte) (int, error) {
	if b.r == nil {
		b.r = utf8Reader(b.body)
	}
	return b.r.Read(p)
}

func (b *utf8Body) Close() error { return b.body.Close() }

// utf8Reader returns r's XML text as UTF-8. It recognises the encoding the way
// XML 1.0 Appendix F does: a byte order mark (UTF-8, UTF-16BE or UTF-16LE,
// stripped), else the zero bytes that UTF-16 puts beside the opening "<" of a
// document without one. Anything else passes through unchanged. Malformed
// UTF-16 becomes U+FFFD, which leaves the document for the parser to judge.
func utf8Reader(r io.Reader) io.Reader {
	br := bufio.NewReader(r)
	head, _ := br.Peek(2) // a short or failed peek leaves the error to Read
	var fallback transform.Transformer = transform.Nop
	switch {
	case len(head) < 2:
	case head[0] == 0 && head[1] != 0:
		fallback = unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM).NewDecoder()
	case head[0] != 0 && head[1] == 0:
		fallback = unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM).NewDecoder()
	}
	return transform.NewReader(br, unicode.BOMOverride(fallback))
}
