package legacy

import (
	"encoding/base64"
	"errors"
	"strconv"
	"unicode/utf8"

	"github.com/ssbtek/gateway/bastjanst"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
)

// Writing answers and faults. Everything is appended to one byte slice with
// fixed prefixes: soap for the envelope, ssbt for the contract. No default
// namespace is ever declared, so unqualified agency content stays
// unqualified when copied in.

const (
	envelopeStart = `<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<soap:Envelope xmlns:soap="` + soapNS + `"><soap:Body>`
	envelopeEnd   = `</soap:Body></soap:Envelope>`
	contract      = "ssbt"
)

// The root element of each XML agency's raw answer, whose children become
// the content of data (seed 000 §5.7–5.12).
var answerRoots = map[ssbtekv1.Bastjanst]struct{ ns, local string }{
	ssbtekv1.Bastjanst_BASTJANST_AF:  {"http://api.arbetsformedlingen.se/arbetssokande/ersattningsstod/v2", "SvarMeddelande"},
	ssbtekv1.Bastjanst_BASTJANST_SKV: {"http://beskattningws.ws.service.bs.zg.rsv.se/", "BeskattningsuppgifterResponse"},
	ssbtekv1.Bastjanst_BASTJANST_SO:  {"http://INT014.UBPService.Schemas", "GetUnemploymentBenefitPaymentResponse"},
	ssbtekv1.Bastjanst_BASTJANST_TNS: {"http://schema.transportstyrelsen.se/ssbtek/hamtauppgifterresponder/1", "HamtaUppgifterResponse"},
	ssbtekv1.Bastjanst_BASTJANST_MIV: {"http://schema.migrationsverket.se/ssbtek/1/", "findByPersonnummerResponse"},
}

// agencySlots indexes results by their Bastjanst number (1–7, MIV last).
const agencySlots = int(ssbtekv1.Bastjanst_BASTJANST_MIV) + 1

// answerMaxDepth bounds the nesting of an agency's answer. The adapters
// have read it already; this only keeps the copy finite.
const answerMaxDepth = 256

// encoder builds one answer. Its buffers are reused between requests.
type encoder struct {
	b []byte
	// sc reads agency answers; it is not the decoder's, whose text the
	// echoed question still refers to.
	sc    scanner
	decls []nsBinding
	// ns is the contract namespace of the answer being written.
	ns string
}

func (e *encoder) raw(s string)      { e.b = append(e.b, s...) }
func (e *encoder) rawBytes(s []byte) { e.b = append(e.b, s...) }
func (e *encoder) open(name string) {
	e.b = append(append(append(e.b, "<"+contract+":"...), name...), '>')
}
func (e *encoder) close(name string) {
	e.b = append(append(append(e.b, "</"+contract+":"...), name...), '>')
}
func (e *encoder) text(s string)      { e.b = appendEscaped(e.b, s, false) }
func (e *encoder) textBytes(s []byte) { e.b = appendEscaped(e.b, s, false) }

func (e *encoder) element(name, value string) {
	e.open(name)
	e.text(value)
	e.close(name)
}

// start begins an envelope whose body element is name in ns.
func (e *encoder) start(name, ns string, extra ...string) {
	e.ns = ns
	e.b = append(e.b[:0], envelopeStart...)
	e.raw("<" + contract + ":" + name + ` xmlns:` + contract + `="`)
	e.b = appendEscaped(e.b, ns, true)
	e.raw(`"`)
	for _, x := range extra {
		e.raw(x)
	}
	e.raw(">")
}

func (e *encoder) end(name string) {
	e.close(name)
	e.raw(envelopeEnd)
}

// answer writes the hamtaBastjanstInformationResponse for the decoded
// request d and the lookup's results.
func (e *encoder) answer(d *decoder, res []*ssbtekv1.BastjanstResultat) {
	const name = "hamtaBastjanstInformationResponse"
	var fkDecl []string
	if d.ver.name == "1" {
		fkDecl = []string{` xmlns:fk="` + fkNS + `"`}
	}
	e.start(name, d.ver.ns, fkDecl...)
	g := d.generella()
	if d.wantsEcho() {
		e.open("fraga")
		for c := d.nodes[root].first; c >= 0; c = d.nodes[c].next {
			e.echo(d, c)
		}
		e.close("fraga")
	}
	for _, n := range [...]string{"frageTidpunkt", "korrelationsid"} {
		if c := d.child(g, n); c >= 0 {
			e.open(n)
			e.textBytes(d.nodes[c].value)
			e.close(n)
		}
	}
	var byAgency [agencySlots]*ssbtekv1.BastjanstResultat
	for _, r := range res {
		if b := r.GetBastjanst(); b > 0 && int(b) < len(byAgency) {
			byAgency[b] = r
		}
	}
	e.open("svarsdata")
	d.agencies(func(b ssbtekv1.Bastjanst, n int32) {
		if d.included(n) {
			e.result(b, byAgency[b])
		}
	})
	e.close("svarsdata")
	e.end(name)
}

// echo writes node n of the question as it was asked, values normalised.
func (e *encoder) echo(d *decoder, n int32) {
	nd := &d.nodes[n]
	prefix := contract
	if nd.def.fk {
		prefix = "fk"
	}
	e.b = append(append(append(e.b, '<'), prefix...), ':')
	e.b = append(e.b, nd.def.name...)
	if nd.inkludera != nil {
		e.raw(` inkludera="`)
		e.b = appendEscaped(e.b, nd.inkludera, true)
		e.raw(`"`)
	}
	e.raw(">")
	if nd.def.typ == complexContent {
		for c := nd.first; c >= 0; c = d.nodes[c].next {
			e.echo(d, c)
		}
	} else {
		e.textBytes(nd.value)
	}
	e.b = append(append(append(e.b, "</"...), prefix...), ':')
	e.b = append(append(e.b, nd.def.name...), '>')
}

// result writes one agency's element: its data, or error.
func (e *encoder) result(b ssbtekv1.Bastjanst, r *ssbtekv1.BastjanstResultat) {
	kod := bastjanst.Kod(b)
	e.open(kod)
	defer e.close(kod)
	switch {
	case r == nil:
		// The lookup left this agency out: it has no adapter here.
		e.fel(bastjanst.FelFor(bastjanst.Unavailable(errors.New("no result"))))
		return
	case r.GetFel() != nil:
		e.fel(r.GetFel())
		return
	}
	raw := r.GetRadata().GetInnehall()
	if len(raw) == 0 {
		e.fel(bastjanst.FelFor(bastjanst.Unreadable(errors.New("no raw answer"))))
		return
	}
	switch b {
	case ssbtekv1.Bastjanst_BASTJANST_CSN:
		e.base64Data("svar", raw)
	case ssbtekv1.Bastjanst_BASTJANST_FK:
		e.base64Data("lefiJsonSvar", raw)
	default:
		if err := e.xmlData(b, raw); err != nil {
			e.fel(bastjanst.FelFor(bastjanst.Unreadable(err)))
		}
	}
}

func (e *encoder) base64Data(name string, raw []byte) {
	e.open("data")
	e.open(name)
	e.b = base64.StdEncoding.AppendEncode(e.b, raw)
	e.close(name)
	e.close("data")
}

// xmlData writes data holding the children of the agency's answer element.
// The answer is read completely first, so a broken one writes nothing.
func (e *encoder) xmlData(b ssbtekv1.Bastjanst, raw []byte) error {
	want, ok := answerRoots[b]
	if !ok {
		return errors.New("no XML mapping for agency")
	}
	sc := &e.sc
	sc.reset(raw, answerMaxDepth)
	if err := sc.prolog(); err != nil {
		return err
	}
	if _, err := sc.next(); err != nil {
		return err
	}
	if string(sc.local) != want.local || string(sc.space) != want.ns {
		return errors.New("unexpected answer element " + string(sc.local))
	}
	e.decls = e.decls[:0]
	for _, a := range sc.attrs {
		if a.decl {
			e.decls = append(e.decls, nsBinding{prefix: a.local, uri: a.value})
		}
	}
	from, to := sc.end, sc.end
	for {
		k, err := sc.next()
		if err != nil {
			return err
		}
		if k == tokEnd && sc.depth() == 0 {
			if sc.start > from {
				to = sc.start
			}
			break
		}
	}
	if k, err := sc.next(); err != nil || k != tokEOF {
		return errors.New("content after the answer element")
	}
	prefix := contract
	for declared(e.decls, prefix) {
		prefix += "_"
	}
	e.raw("<" + prefix + ":data")
	if prefix != contract {
		e.raw(" xmlns:" + prefix + `="`)
		e.b = appendEscaped(e.b, e.ns, true)
		e.raw(`"`)
	}
	for _, dcl := range e.decls {
		e.raw(" xmlns")
		if len(dcl.prefix) > 0 {
			e.b = append(append(e.b, ':'), dcl.prefix...)
		}
		e.raw(`="`)
		e.b = appendEscaped(e.b, dcl.uri, true)
		e.raw(`"`)
	}
	e.raw(">")
	e.rawBytes(raw[from:to])
	e.raw("</" + prefix + ":data>")
	return nil
}

func declared(decls []nsBinding, prefix string) bool {
	for _, d := range decls {
		if string(d.prefix) == prefix {
			return true
		}
	}
	return false
}

func (e *encoder) fel(f *ssbtekv1.Fel) {
	e.open("error")
	kalla := "SSBT"
	if f.GetKalla() == ssbtekv1.Kalla_KALLA_BT {
		kalla = "BT"
	}
	e.element("kalla", kalla)
	e.element("felkod", f.GetFelkod())
	e.element("felmeddelande", f.GetFelmeddelande())
	e.close("error")
}

// testAnswer writes the testaBastjanstInformationResponse.
func (e *encoder) testAnswer(ver *version, svar []*ssbtekv1.TestSvar) {
	const name = "testaBastjanstInformationResponse"
	e.start(name, ver.ns)
	var byAgency [agencySlots]*ssbtekv1.TestSvar
	for _, s := range svar {
		if b := s.GetBastjanst(); b > 0 && int(b) < len(byAgency) {
			byAgency[b] = s
		}
	}
	for _, s := range byAgency {
		if s == nil {
			continue
		}
		kod := bastjanst.Kod(s.GetBastjanst())
		e.open(kod)
		e.element("anropad", strconv.FormatBool(s.GetAnropad()))
		if s.GetFel() != nil {
			e.fel(s.GetFel())
		}
		e.close(kod)
	}
	e.end(name)
}

// fault writes a SOAP fault whose detail is the operation's fault element.
func (e *encoder) fault(ns string, op operation, faultcode, felkod, msg string) {
	detail := "hamtaBastjanstInformationFault"
	if op == opTesta {
		detail = "testaBastjanstInformationFault"
	}
	e.b = append(e.b[:0], envelopeStart...)
	e.raw("<soap:Fault><faultcode>soap:" + faultcode + "</faultcode><faultstring>")
	e.text(msg)
	e.raw("</faultstring><detail><" + contract + ":" + detail + ` xmlns:` + contract + `="`)
	e.b = appendEscaped(e.b, ns, true)
	e.raw(`">`)
	e.element("felkod", felkod)
	e.element("felmeddelande", msg)
	e.close(detail)
	e.raw("</detail></soap:Fault>" + envelopeEnd)
}

// appendEscaped appends s as XML character data, or as an attribute value
// in double quotes when attr is set. Characters that line-end or attribute
// normalisation would change are written as references; bytes that are not
// XML characters in UTF-8 (agency error texts may hold anything) become
// U+FFFD.
func appendEscaped[T string | []byte](b []byte, s T, attr bool) []byte {
	last := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		var esc string
		switch {
		case c == '&':
			esc = "&amp;"
		case c == '<':
			esc = "&lt;"
		case c == '>':
			esc = "&gt;"
		case c == '\r':
			esc = "&#13;"
		case c == '"' && attr:
			esc = "&quot;"
		case c == '\t' && attr:
			esc = "&#9;"
		case c == '\n' && attr:
			esc = "&#10;"
		case c < 0x20 && c != '\t' && c != '\n':
			esc = "\uFFFD"
		case c >= utf8.RuneSelf:
			var buf [utf8.UTFMax]byte
			r, n := utf8.DecodeRune(buf[:copy(buf[:], s[i:])])
			if (r != utf8.RuneError || n > 1) && r != 0xFFFE && r != 0xFFFF {
				i += n - 1
				continue
			}
			b = append(b, s[last:i]...)
			b = append(b, "\uFFFD"...)
			i += n - 1
			last = i + 1
			continue
		}
		if esc == "" {
			continue
		}
		b = append(b, s[last:i]...)
		b = append(b, esc...)
		last = i + 1
	}
	return append(b, s[last:]...)
}
