package legacy

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"unicode/utf8"
)

// The scanner below is a strict, namespace-aware XML 1.0 pull parser for the
// small documents this package reads: SOAP requests and agency answers. It
// exists because encoding/xml alone takes most of the shim's time budget, and
// because it must refuse what SSBTEK refuses: DOCTYPEs (and with them every
// entity but the five predefined ones), unbound prefixes, absurd nesting.
// Text and attribute values come back unescaped and line-end normalised;
// when nothing needs rewriting they are sub-slices of the input.

const (
	xmlNS   = "http://www.w3.org/XML/1998/namespace"
	xmlnsNS = "http://www.w3.org/2000/xmlns/"
)

var xmlNSBytes = []byte(xmlNS)

type tokKind uint8

const (
	tokEOF tokKind = iota
	tokStart
	tokEnd
	tokText
)

// syntaxError is a well-formedness error; its message never holds content
// from the document beyond names, only what was wrong and where.
type syntaxError struct {
	msg  string
	line int
}

func (e *syntaxError) Error() string { return fmt.Sprintf("%s (rad %d)", e.msg, e.line) }

// errDoctype is returned for any document type declaration.
var errDoctype = errors.New("DOCTYPE är inte tillåtet")

type xmlAttr struct {
	prefix, local []byte
	// space is the resolved namespace; nil for no namespace.
	space []byte
	value []byte
	// decl marks a namespace declaration (xmlns or xmlns:p); its prefix is
	// then in local ("" for the default namespace).
	decl bool
}

type nsBinding struct{ prefix, uri []byte }

type openElem struct {
	qname  []byte
	nsMark int
}

type scanner struct {
	in       []byte
	pos      int
	maxDepth int
	stack    []openElem
	ns       []nsBinding
	attrs    []xmlAttr
	// arena holds unescaped text. It only grows by appending, so slices
	// handed out earlier stay valid even when it moves.
	arena    []byte
	selfEnd  bool // the last start tag was empty (<x/>): its end comes next
	rootSeen bool

	// The current token.
	kind          tokKind
	prefix, local []byte
	space         []byte
	text          []byte
	// start and end are the current token's byte range in the input; for a
	// start tag, end is just after its '>'.
	start, end int
}

const maxAttrs = 64

func (s *scanner) reset(in []byte, maxDepth int) {
	s.in, s.pos, s.maxDepth = in, 0, maxDepth
	s.stack, s.ns, s.attrs = s.stack[:0], s.ns[:0], s.attrs[:0]
	s.arena = s.arena[:0]
	s.selfEnd, s.rootSeen = false, false
}

func (s *scanner) fail(format string, args ...any) error {
	line := 1 + bytes.Count(s.in[:min(s.pos, len(s.in))], []byte{'\n'})
	return &syntaxError{msg: fmt.Sprintf(format, args...), line: line}
}

// depth is the number of open elements.
func (s *scanner) depth() int { return len(s.stack) }

// prolog checks the characters of the whole input and reads the XML
// declaration, if any. Encoding has been dealt with by the caller.
func (s *scanner) prolog() error {
	if bytes.HasPrefix(s.in, []byte("\xef\xbb\xbf")) {
		s.pos = 3
	}
	if off, err := checkChars(s.in[s.pos:]); err != nil {
		s.pos += off
		return s.fail("%v", err)
	}
	if bytes.HasPrefix(s.in[s.pos:], []byte("<?xml")) && len(s.in) > s.pos+5 && isSpace(s.in[s.pos+5]) {
		end := bytes.Index(s.in[s.pos:], []byte("?>"))
		if end < 0 {
			return s.fail("XML-deklarationen avslutas inte")
		}
		if _, err := parseXMLDecl(s.in[s.pos+5 : s.pos+end]); err != nil {
			return s.fail("%v", err)
		}
		s.pos += end + 2
	}
	return nil
}

// next advances to the next token. Comments and processing instructions are
// skipped; CDATA sections come back as text.
func (s *scanner) next() (tokKind, error) {
	if s.selfEnd {
		s.selfEnd = false
		s.pop()
		s.kind = tokEnd
		return tokEnd, nil
	}
	for {
		if s.pos >= len(s.in) {
			if len(s.stack) > 0 {
				return 0, s.fail("dokumentet tar slut innan elementet %s avslutas", s.stack[len(s.stack)-1].qname)
			}
			if !s.rootSeen {
				return 0, s.fail("dokumentet saknar rotelement")
			}
			s.kind = tokEOF
			return tokEOF, nil
		}
		if s.in[s.pos] != '<' {
			n := bytes.IndexByte(s.in[s.pos:], '<')
			if n < 0 {
				n = len(s.in) - s.pos
			}
			raw := s.in[s.pos : s.pos+n]
			if len(s.stack) == 0 {
				if !allSpace(raw) {
					return 0, s.fail("text utanför rotelementet")
				}
				s.pos += n
				continue
			}
			text, err := s.unescape(raw, false)
			if err != nil {
				return 0, err
			}
			s.start, s.end = s.pos, s.pos+n
			s.pos += n
			s.kind, s.text = tokText, text
			return tokText, nil
		}
		rest := s.in[s.pos:]
		if len(rest) > 1 && rest[1] != '?' && rest[1] != '!' && rest[1] != '/' {
			return s.startTag()
		}
		switch {
		case bytes.HasPrefix(rest, []byte("<?")):
			if err := s.skipPI(); err != nil {
				return 0, err
			}
		case bytes.HasPrefix(rest, []byte("<!--")):
			if err := s.skipComment(); err != nil {
				return 0, err
			}
		case bytes.HasPrefix(rest, []byte("<![CDATA[")):
			if len(s.stack) == 0 {
				return 0, s.fail("CDATA utanför rotelementet")
			}
			n := bytes.Index(rest[9:], []byte("]]>"))
			if n < 0 {
				return 0, s.fail("CDATA-avsnittet avslutas inte")
			}
			raw := rest[9 : 9+n]
			s.text = raw
			if bytes.IndexByte(raw, '\r') >= 0 {
				s.text = s.normaliseNewlines(raw)
			}
			s.start, s.end = s.pos, s.pos+9+n+3
			s.pos = s.end
			s.kind = tokText
			return tokText, nil
		case bytes.HasPrefix(rest, []byte("<!DOCTYPE")):
			return 0, errDoctype
		case bytes.HasPrefix(rest, []byte("<!")):
			return 0, s.fail("okänd deklaration")
		case bytes.HasPrefix(rest, []byte("</")):
			return s.endTag()
		default:
			return s.startTag()
		}
	}
}

func (s *scanner) skipPI() error {
	p := s.pos + 2
	name, err := s.name(p)
	if err != nil {
		return err
	}
	if len(name) == 3 && (name[0]|0x20) == 'x' && (name[1]|0x20) == 'm' && (name[2]|0x20) == 'l' {
		return s.fail("XML-deklarationen får bara stå först i dokumentet")
	}
	p += len(name)
	end := bytes.Index(s.in[p:], []byte("?>"))
	if end < 0 {
		return s.fail("processinstruktionen avslutas inte")
	}
	if end > 0 && !isSpace(s.in[p]) {
		return s.fail("ogiltig processinstruktion")
	}
	s.pos = p + end + 2
	return nil
}

func (s *scanner) skipComment() error {
	body := s.in[s.pos+4:]
	n := bytes.Index(body, []byte("--"))
	if n < 0 {
		return s.fail("kommentaren avslutas inte")
	}
	if n+2 >= len(body) || body[n+2] != '>' {
		return s.fail("'--' är inte tillåtet i en kommentar")
	}
	s.pos += 4 + n + 3
	return nil
}

func (s *scanner) endTag() (tokKind, error) {
	start := s.pos
	p := s.pos + 2
	var qname []byte
	// The end tag must repeat the open element's name: compare, not parse.
	if n := len(s.stack); n > 0 && bytes.HasPrefix(s.in[p:], s.stack[n-1].qname) &&
		p+len(s.stack[n-1].qname) < len(s.in) && !isNameChar(s.in[p+len(s.stack[n-1].qname)]) {
		qname = s.stack[n-1].qname
	} else {
		var err error
		if qname, err = s.name(p); err != nil {
			return 0, err
		}
	}
	p += len(qname)
	p = s.skipSpace(p)
	if p >= len(s.in) || s.in[p] != '>' {
		s.pos = p
		return 0, s.fail("sluttaggen %s avslutas inte", qname)
	}
	if len(s.stack) == 0 || !bytes.Equal(s.stack[len(s.stack)-1].qname, qname) {
		s.pos = start
		return 0, s.fail("sluttaggen %s matchar inte starttaggen", qname)
	}
	s.prefix, s.local = splitQName(qname)
	s.space = s.lookup(s.prefix)
	s.pop()
	s.start, s.end = start, p+1
	s.pos = p + 1
	s.kind = tokEnd
	return tokEnd, nil
}

func (s *scanner) pop() {
	top := s.stack[len(s.stack)-1]
	s.ns = s.ns[:top.nsMark]
	s.stack = s.stack[:len(s.stack)-1]
}

func (s *scanner) startTag() (tokKind, error) {
	if s.rootSeen && len(s.stack) == 0 {
		return 0, s.fail("mer än ett rotelement")
	}
	start := s.pos
	p := s.pos + 1
	qname, err := s.name(p)
	if err != nil {
		return 0, err
	}
	p += len(qname)
	s.attrs = s.attrs[:0]
	empty := false
	for {
		sp := p
		p = s.skipSpace(p)
		if p >= len(s.in) {
			s.pos = p
			return 0, s.fail("starttaggen %s avslutas inte", qname)
		}
		if s.in[p] == '>' {
			p++
			break
		}
		if s.in[p] == '/' {
			if p+1 >= len(s.in) || s.in[p+1] != '>' {
				s.pos = p
				return 0, s.fail("ogiltig starttagg %s", qname)
			}
			p += 2
			empty = true
			break
		}
		if sp == p {
			s.pos = p
			return 0, s.fail("blanksteg saknas före attribut i %s", qname)
		}
		if len(s.attrs) == maxAttrs {
			s.pos = p
			return 0, s.fail("fler än %d attribut i %s", maxAttrs, qname)
		}
		if p, err = s.attribute(p); err != nil {
			return 0, err
		}
	}
	s.pos = p
	if len(s.stack) >= s.maxDepth {
		return 0, &syntaxError{msg: fmt.Sprintf("elementen är nästlade djupare än %d nivåer", s.maxDepth), line: 1 + bytes.Count(s.in[:start], []byte{'\n'})}
	}
	mark := len(s.ns)
	if err := s.declare(qname); err != nil {
		return 0, err
	}
	s.prefix, s.local = splitQName(qname)
	s.space = s.lookup(s.prefix)
	if s.space == nil && len(s.prefix) > 0 {
		return 0, s.fail("prefixet %s är inte deklarerat", s.prefix)
	}
	if err := s.resolveAttrs(qname); err != nil {
		return 0, err
	}
	s.stack = append(s.stack, openElem{qname: qname, nsMark: mark})
	s.rootSeen = true
	s.selfEnd = empty
	s.start, s.end = start, p
	s.kind = tokStart
	return tokStart, nil
}

// attribute reads one name="value" at p and returns the position after it.
func (s *scanner) attribute(p int) (int, error) {
	qname, err := s.name(p)
	if err != nil {
		return 0, err
	}
	p += len(qname)
	p = s.skipSpace(p)
	if p >= len(s.in) || s.in[p] != '=' {
		s.pos = p
		return 0, s.fail("attributet %s saknar värde", qname)
	}
	p++
	p = s.skipSpace(p)
	if p >= len(s.in) || (s.in[p] != '"' && s.in[p] != '\'') {
		s.pos = p
		return 0, s.fail("attributvärdet för %s saknar citattecken", qname)
	}
	q := s.in[p]
	n := bytes.IndexByte(s.in[p+1:], q)
	if n < 0 {
		s.pos = p
		return 0, s.fail("attributvärdet för %s avslutas inte", qname)
	}
	raw := s.in[p+1 : p+1+n]
	if bytes.IndexByte(raw, '<') >= 0 {
		s.pos = p
		return 0, s.fail("'<' i attributvärdet för %s", qname)
	}
	s.pos = p + 1
	val, err := s.unescape(raw, true)
	if err != nil {
		return 0, err
	}
	prefix, local := splitQName(qname)
	s.attrs = append(s.attrs, xmlAttr{prefix: prefix, local: local, value: val})
	return p + 1 + n + 1, nil
}

// declare binds the namespaces the current start tag declares.
func (s *scanner) declare(qname []byte) error {
	for i := range s.attrs {
		a := &s.attrs[i]
		var prefix []byte
		switch {
		case len(a.prefix) == 0 && string(a.local) == "xmlns":
			prefix = a.local[:0]
		case string(a.prefix) == "xmlns":
			prefix = a.local
		default:
			continue
		}
		a.decl = true
		a.local = prefix
		uri := a.value
		switch {
		case string(prefix) == "xmlns":
			return s.fail("prefixet xmlns får inte deklareras")
		case string(prefix) == "xml":
			if string(uri) != xmlNS {
				return s.fail("prefixet xml får inte bindas om")
			}
		case string(uri) == xmlNS || string(uri) == xmlnsNS:
			return s.fail("reserverad namnrymd i %s", qname)
		case len(prefix) > 0 && len(uri) == 0:
			return s.fail("prefixet %s får inte bindas till tom namnrymd", prefix)
		}
		s.ns = append(s.ns, nsBinding{prefix: prefix, uri: uri})
	}
	return nil
}

// resolveAttrs gives every attribute its namespace and refuses duplicates.
func (s *scanner) resolveAttrs(qname []byte) error {
	for i := range s.attrs {
		a := &s.attrs[i]
		if a.decl || len(a.prefix) == 0 {
			continue
		}
		a.space = s.lookup(a.prefix)
		if a.space == nil {
			return s.fail("prefixet %s är inte deklarerat", a.prefix)
		}
	}
	for i := 1; i < len(s.attrs); i++ {
		a := &s.attrs[i]
		for j := range i {
			b := &s.attrs[j]
			if a.decl != b.decl || !bytes.Equal(a.local, b.local) {
				continue
			}
			if a.decl || bytes.Equal(a.prefix, b.prefix) || (!a.decl && a.space != nil && b.space != nil && bytes.Equal(a.space, b.space)) {
				return s.fail("attributet %s förekommer två gånger i %s", a.local, qname)
			}
		}
	}
	return nil
}

// lookup resolves a prefix in the current scope; nil means no namespace.
func (s *scanner) lookup(prefix []byte) []byte {
	if string(prefix) == "xml" {
		return xmlNSBytes
	}
	for i := len(s.ns) - 1; i >= 0; i-- {
		if bytes.Equal(s.ns[i].prefix, prefix) {
			if len(s.ns[i].uri) == 0 {
				return nil
			}
			return s.ns[i].uri
		}
	}
	return nil
}

// name returns the QName at p: one or two NCNames joined by a colon.
func (s *scanner) name(p int) ([]byte, error) {
	start, colon := p, -1
	for p < len(s.in) {
		c := s.in[p]
		atStart := p == start || p == colon+1
		if c == ':' {
			if colon >= 0 || atStart {
				s.pos = p
				return nil, s.fail("ogiltigt namn")
			}
			colon = p
			p++
			continue
		}
		if c < utf8.RuneSelf {
			switch {
			case nameBytes[c]&nameStart != 0:
			case nameBytes[c]&nameOnly != 0 && !atStart:
			default:
				return s.nameEnd(start, colon, p)
			}
			p++
			continue
		}
		r, n := utf8.DecodeRune(s.in[p:])
		if !isNameStartRune(r) && (atStart || !isNameRune(r)) {
			break
		}
		p += n
	}
	return s.nameEnd(start, colon, p)
}

func (s *scanner) nameEnd(start, colon, p int) ([]byte, error) {
	if p == start || p == colon+1 {
		s.pos = p
		return nil, s.fail("namn förväntades")
	}
	return s.in[start:p], nil
}

// nameBytes classifies ASCII bytes for names.
var nameBytes = func() (t [utf8.RuneSelf]uint8) {
	for c := range t {
		switch {
		case isNameStartByte(byte(c)):
			t[c] = nameStart
		case isNameByte(byte(c)):
			t[c] = nameOnly
		}
	}
	return t
}()

const (
	nameStart = 1 << iota
	nameOnly
)

// isNameChar reports whether c may continue a name (any non-ASCII byte
// might).
func isNameChar(c byte) bool { return c >= utf8.RuneSelf || c == ':' || nameBytes[c] != 0 }

func (s *scanner) skipSpace(p int) int {
	for p < len(s.in) && isSpace(s.in[p]) {
		p++
	}
	return p
}

func splitQName(q []byte) (prefix, local []byte) {
	if i := bytes.IndexByte(q, ':'); i >= 0 {
		return q[:i], q[i+1:]
	}
	return q[:0], q
}

// unescape resolves references and normalises line ends in raw text; in an
// attribute value it also turns white space into spaces.
func (s *scanner) unescape(raw []byte, attr bool) ([]byte, error) {
	if !attr && bytes.Contains(raw, []byte("]]>")) {
		return nil, s.fail("']]>' är inte tillåtet i text")
	}
	clean := bytes.IndexByte(raw, '&') < 0 && bytes.IndexByte(raw, '\r') < 0
	if clean && (!attr || (bytes.IndexByte(raw, '\t') < 0 && bytes.IndexByte(raw, '\n') < 0)) {
		return raw, nil
	}
	start := len(s.arena)
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		switch {
		case c == '&':
			n := bytes.IndexByte(raw[i:], ';')
			if n < 0 {
				return nil, s.fail("'&' utan ';'")
			}
			r, ok := entity(raw[i+1 : i+n])
			if !ok {
				return nil, s.fail("okänd eller ogiltig entitet &%s;", raw[i+1:i+n])
			}
			s.arena = utf8.AppendRune(s.arena, r)
			i += n
		case c == '\r':
			if i+1 < len(raw) && raw[i+1] == '\n' {
				i++
			}
			if attr {
				s.arena = append(s.arena, ' ')
			} else {
				s.arena = append(s.arena, '\n')
			}
		case attr && (c == '\t' || c == '\n'):
			s.arena = append(s.arena, ' ')
		default:
			s.arena = append(s.arena, c)
		}
	}
	return s.arena[start:len(s.arena):len(s.arena)], nil
}

func (s *scanner) normaliseNewlines(raw []byte) []byte {
	start := len(s.arena)
	for i := 0; i < len(raw); i++ {
		if raw[i] == '\r' {
			if i+1 < len(raw) && raw[i+1] == '\n' {
				i++
			}
			s.arena = append(s.arena, '\n')
			continue
		}
		s.arena = append(s.arena, raw[i])
	}
	return s.arena[start:len(s.arena):len(s.arena)]
}

// entity resolves the name between '&' and ';'.
func entity(name []byte) (rune, bool) {
	switch string(name) {
	case "lt":
		return '<', true
	case "gt":
		return '>', true
	case "amp":
		return '&', true
	case "apos":
		return '\'', true
	case "quot":
		return '"', true
	}
	if len(name) < 2 || name[0] != '#' || len(name) > 10 {
		return 0, false
	}
	digits, base := name[1:], 10
	if digits[0] == 'x' {
		digits, base = digits[1:], 16
	}
	if len(digits) == 0 {
		return 0, false
	}
	var r rune
	for _, c := range digits {
		var d byte
		switch {
		case c >= '0' && c <= '9':
			d = c - '0'
		case base == 16 && c >= 'a' && c <= 'f':
			d = c - 'a' + 10
		case base == 16 && c >= 'A' && c <= 'F':
			d = c - 'A' + 10
		default:
			return 0, false
		}
		r = r*rune(base) + rune(d)
		if r > utf8.MaxRune {
			return 0, false
		}
	}
	return r, isXMLChar(r)
}

func isXMLChar(r rune) bool {
	switch {
	case r == 0x9 || r == 0xA || r == 0xD:
		return true
	case r >= 0x20 && r <= 0xD7FF:
		return true
	case r >= 0xE000 && r <= 0xFFFD:
		return true
	case r >= 0x10000 && r <= utf8.MaxRune:
		return true
	}
	return false
}

// checkChars verifies that b is UTF-8 made of XML characters only, and
// returns the offset of the first bad one.
func checkChars(b []byte) (int, error) {
	i := 0
	for i < len(b) {
		// Eight printable ASCII bytes at a time.
		if i+8 <= len(b) {
			x := binary.LittleEndian.Uint64(b[i:])
			if x&0x8080808080808080 == 0 && (x-0x2020202020202020)&^x&0x8080808080808080 == 0 {
				i += 8
				continue
			}
		}
		c := b[i]
		if c < utf8.RuneSelf {
			if c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
				return i, fmt.Errorf("otillåtet tecken 0x%02X", c)
			}
			i++
			continue
		}
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n == 1 {
			return i, errors.New("ogiltig UTF-8")
		}
		if r == 0xFFFE || r == 0xFFFF {
			return i, fmt.Errorf("otillåtet tecken U+%04X", r)
		}
		i += n
	}
	return 0, nil
}

// parseXMLDecl reads the pseudo-attributes of <?xml ...?> and returns the
// declared encoding, if any.
func parseXMLDecl(b []byte) (encoding string, err error) {
	want := []string{"version", "encoding", "standalone"}
	seen := 0
	p := 0
	for {
		for p < len(b) && isSpace(b[p]) {
			p++
		}
		if p >= len(b) {
			break
		}
		eq := bytes.IndexByte(b[p:], '=')
		if eq < 0 {
			return "", errors.New("ogiltig XML-deklaration")
		}
		key := string(bytes.TrimRight(b[p:p+eq], " \t\r\n"))
		p += eq + 1
		for p < len(b) && isSpace(b[p]) {
			p++
		}
		if p >= len(b) || (b[p] != '"' && b[p] != '\'') {
			return "", errors.New("ogiltig XML-deklaration")
		}
		end := bytes.IndexByte(b[p+1:], b[p])
		if end < 0 {
			return "", errors.New("ogiltig XML-deklaration")
		}
		val := string(b[p+1 : p+1+end])
		p += end + 2
		if p < len(b) && !isSpace(b[p]) {
			return "", errors.New("ogiltig XML-deklaration")
		}
		i := seen
		for i < len(want) && want[i] != key {
			i++
		}
		if i == len(want) || (seen == 0 && key != "version") {
			return "", fmt.Errorf("ogiltig XML-deklaration: %.20q", key)
		}
		seen = i + 1
		switch key {
		case "version":
			if val != "1.0" {
				return "", fmt.Errorf("XML-version %.10q stöds inte", val)
			}
		case "encoding":
			encoding = val
		case "standalone":
			if val != "yes" && val != "no" {
				return "", errors.New("ogiltig XML-deklaration")
			}
		}
	}
	if seen == 0 {
		return "", errors.New("XML-deklarationen saknar version")
	}
	return encoding, nil
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func allSpace(b []byte) bool {
	for _, c := range b {
		if !isSpace(c) {
			return false
		}
	}
	return true
}

func isNameStartByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_'
}

func isNameByte(c byte) bool {
	return isNameStartByte(c) || c >= '0' && c <= '9' || c == '-' || c == '.'
}

// isNameStartRune and isNameRune follow XML 1.0 fifth edition, less ':'.
func isNameStartRune(r rune) bool {
	switch {
	case r < utf8.RuneSelf:
		return isNameStartByte(byte(r))
	case r >= 0xC0 && r <= 0xD6, r >= 0xD8 && r <= 0xF6, r >= 0xF8 && r <= 0x2FF,
		r >= 0x370 && r <= 0x37D, r >= 0x37F && r <= 0x1FFF, r >= 0x200C && r <= 0x200D,
		r >= 0x2070 && r <= 0x218F, r >= 0x2C00 && r <= 0x2FEF, r >= 0x3001 && r <= 0xD7FF,
		r >= 0xF900 && r <= 0xFDCF, r >= 0xFDF0 && r <= 0xFFFD, r >= 0x10000 && r <= 0xEFFFF:
		return true
	}
	return false
}

func isNameRune(r rune) bool {
	if r < utf8.RuneSelf {
		return isNameByte(byte(r))
	}
	return isNameStartRune(r) || r == 0xB7 || r >= 0x300 && r <= 0x36F || r >= 0x203F && r <= 0x2040
}
