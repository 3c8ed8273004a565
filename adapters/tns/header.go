package tns

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/beevik/etree"

	"github.com/ssbtek/gateway/adapters/soap"
	"github.com/ssbtek/gateway/bastjanst"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
)

// Seed 000 §5.6 says only that "some data goes in TS's own SOAP header". The
// body (HamtaUppgifter) carries nothing but the person, so the header carries
// everything else SSBTEK's generellaFrageparametrar hold that TS needs to
// grant direktåtkomst and to log the disclosure: the ingivare (whose
// medgivande applies), the case worker, the case, the period (SSBTEK lets the
// caller give TNS its own tidsperiod), the purpose and the legal ground.
//
//	<tsh:Anropsinformation xmlns:tsh="urn:ssbtek-gateway:tns:header:1" soap:mustUnderstand="1">
//	  <tsh:ingivare>
//	    <tsh:organisationsnummer>…</tsh:organisationsnummer>  12 digits, [0-9]{4}[2-9][0-9]{7}
//	    <tsh:namn>…</tsh:namn>
//	    <tsh:handlaggare>…</tsh:handlaggare>
//	  </tsh:ingivare>
//	  <tsh:personuppgiftsbitrade>…</tsh:personuppgiftsbitrade>  0..n {ordningsnummer?, organisationsnummer, namn}
//	  <tsh:ombud>…</tsh:ombud>                                  0..1 organisationsnummer
//	  <tsh:arendeidentitet>…</tsh:arendeidentitet>
//	  <tsh:tidsperiod><tsh:fromDatum/><tsh:tomDatum/></tsh:tidsperiod>  0..1
//	  <tsh:syfte>…</tsh:syfte>                                  required, may be empty
//	  <tsh:lagtext>…</tsh:lagtext>                              required, may be empty
//	  <tsh:korrelationsid>…</tsh:korrelationsid>                0..1
//	</tsh:Anropsinformation>
//
// mustUnderstand="1" because TS must not answer without weighing who asks.
// testdata/Anropsinformation_1.xsd is the schema.

const headerPrefix = "tsh:"

// anropsinformation builds the TS header for one question.
func anropsinformation(f *ssbtekv1.Fraga, period *ssbtekv1.Tidsperiod) *etree.Element {
	h := etree.NewElement(headerPrefix + "Anropsinformation")
	h.CreateAttr("xmlns:tsh", NSHeader)
	// The soap prefix is declared on the Envelope that soap.Build wraps this in.
	h.CreateAttr("soap:mustUnderstand", "1")

	ingivare := h.CreateElement(headerPrefix + "ingivare")
	addText(ingivare, "organisationsnummer", f.GetOrganisationsnummer())
	addText(ingivare, "namn", f.GetIngivare())
	addText(ingivare, "handlaggare", f.GetHandlaggare())
	for _, pub := range bastjanst.Bitraden(f) {
		p := h.CreateElement(headerPrefix + "personuppgiftsbitrade")
		if pub.GetOrdningsnummer() != 0 {
			addText(p, "ordningsnummer", strconv.Itoa(int(pub.GetOrdningsnummer())))
		}
		addText(p, "organisationsnummer", pub.GetOrganisationsnummer())
		addText(p, "namn", pub.GetNamn())
	}
	if f.GetOmbud() != "" {
		addText(h, "ombud", f.GetOmbud())
	}
	addText(h, "arendeidentitet", f.GetArendeidentitet())
	if period != nil {
		tp := h.CreateElement(headerPrefix + "tidsperiod")
		addText(tp, "fromDatum", period.GetFrom())
		addText(tp, "tomDatum", period.GetTom())
	}
	addText(h, "syfte", f.GetSyfte())
	addText(h, "lagtext", f.GetLagtext())
	if f.GetKorrelationsid() != "" {
		addText(h, "korrelationsid", f.GetKorrelationsid())
	}
	return h
}

func addText(parent *etree.Element, local, text string) {
	parent.CreateElement(headerPrefix + local).SetText(text)
}

// errNoHeader is what TS answers a question without Anropsinformation with.
var errNoHeader = errors.New("Anropsinformation saknas i SOAP-headern")

// ingivare is the organisationsnummer of the header's ingivare ("" when
// absent), whose medgivande TS weighs.
func ingivare(headers []*etree.Element) string {
	for _, el := range headers {
		if el.Tag == "Anropsinformation" && el.NamespaceURI() == NSHeader {
			return headerText(soap.Child(el, NSHeader, "ingivare"), "organisationsnummer")
		}
	}
	return ""
}

// checkAnropsinformation is TS's side: it finds the header among the
// request's headers and checks what TS needs before it discloses anything.
// Its errors name elements, never values.
func checkAnropsinformation(headers []*etree.Element) error {
	var h *etree.Element
	for _, el := range headers {
		if el.Tag == "Anropsinformation" && el.NamespaceURI() == NSHeader {
			h = el
		}
	}
	if h == nil {
		return errNoHeader
	}
	ingivare := soap.Child(h, NSHeader, "ingivare")
	if ingivare == nil {
		return missing("ingivare")
	}
	if !isOrganisationsnummer(headerText(ingivare, "organisationsnummer")) {
		return fmt.Errorf("Anropsinformation: ingivare/organisationsnummer saknas eller är ogiltigt")
	}
	for _, name := range []string{"namn", "handlaggare"} {
		if headerText(ingivare, name) == "" {
			return missing("ingivare/" + name)
		}
	}
	if headerText(h, "arendeidentitet") == "" {
		return missing("arendeidentitet")
	}
	if tp := soap.Child(h, NSHeader, "tidsperiod"); tp != nil {
		from, ferr := time.Parse(time.DateOnly, headerText(tp, "fromDatum"))
		tom, terr := time.Parse(time.DateOnly, headerText(tp, "tomDatum"))
		if ferr != nil || terr != nil || tom.Before(from) {
			return fmt.Errorf("Anropsinformation: tidsperiod är ogiltig")
		}
	}
	// syfte and lagtext are required elements, as in SSBTEK, but may be empty.
	for _, name := range []string{"syfte", "lagtext"} {
		if soap.Child(h, NSHeader, name) == nil {
			return missing(name)
		}
	}
	return nil
}

func missing(path string) error {
	return fmt.Errorf("Anropsinformation: %s saknas", path)
}

func headerText(el *etree.Element, local string) string {
	c := soap.Child(el, NSHeader, local)
	if c == nil {
		return ""
	}
	return strings.TrimSpace(c.Text())
}

// isOrganisationsnummer checks the SSBTEK pattern [0-9]{4}[2-9][0-9]{7}.
func isOrganisationsnummer(s string) bool {
	if len(s) != 12 {
		return false
	}
	for i, r := range s {
		if r < '0' || r > '9' || (i == 4 && r < '2') {
			return false
		}
	}
	return true
}
