package so

import (
	"errors"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"

	"github.com/beevik/etree"
	"google.golang.org/protobuf/proto"

	"github.com/ssbtek/gateway/adapters"
	rawdata "github.com/ssbtek/gateway/adapters/radata"
	"github.com/ssbtek/gateway/adapters/soap"
	"github.com/ssbtek/gateway/bastjanst"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
)

// mapSvar turns the UBPService's answer into a result. A SOAP fault is the
// agency's own error (kalla BT, faultcode and faultstring as seed 000 §6.3.2
// says); anything but a readable GetUnemploymentBenefitPaymentResponse about
// the asked person is unreadable (2003).
//
// Radata is the SOAP Body's child serialized standalone, in UTF-8 whatever
// the wire encoding was: the response element, whose children the SOAP shim
// copies into SSBTEK's data element (seed 000 §5.11), or the soap:Fault.
func mapSvar(env *soap.Envelope, personidentitet string) (*ssbtekv1.BastjanstResultat, error) {
	radata := rawdata.FromEnvelope(env, SSBTEK)
	if f := env.Fault; f != nil {
		return adapters.FaultResult(bastjanstSO, f, radata)
	}
	sv, err := readSvar(env.Body, personidentitet)
	if err != nil {
		return nil, bastjanst.Unreadable(err)
	}
	// A listed a-kassa is data even without payments (membership, a
	// suspension or an application), though only payments have typed fields.
	found := sv.kassor > 0
	res := &ssbtekv1.BastjanstResultat{
		Bastjanst: bastjanstSO,
		// The schema has no protection flag, so a protected identity's
		// answer reads as any other.
		Status: bastjanst.Status(found, false),
		Radata: radata,
	}
	if found {
		res.Innehall = &ssbtekv1.BastjanstResultat_So{So: sv.ersattning}
	}
	return res, nil
}

// svar is what readSvar found.
type svar struct {
	ersattning *ssbtekv1.Arbetsloshetsersattning
	// kassor counts the a-kassor in the answer.
	kassor int
}

// readSvar reads a GetUnemploymentBenefitPaymentResponse strictly: right
// element and namespace, about the asked person, every element the mapping
// needs present and well-formed. Errors name elements, never values, so they
// can be logged.
func readSvar(el *etree.Element, personidentitet string) (svar, error) {
	if el.Tag != ResponseElement || el.NamespaceURI() != Namespace {
		return svar{}, fmt.Errorf("answer is {%s}%s, want {%s}%s", el.NamespaceURI(), el.Tag, Namespace, ResponseElement)
	}
	id, err := required(el, "IdentificationNumber")
	if err != nil {
		return svar{}, err
	}
	// An answer about somebody else must never reach the case worker.
	if id != personidentitet {
		return svar{}, errors.New("IdentificationNumber differs from the asked personidentitet")
	}
	lista := soap.Child(el, Namespace, "ArbetsloshetsersattningLista")
	if lista == nil {
		return svar{}, errors.New("missing ArbetsloshetsersattningLista")
	}
	out := svar{ersattning: &ssbtekv1.Arbetsloshetsersattning{}}
	for _, kassa := range children(lista, "Arbetsloshetsersattning") {
		out.kassor++
		k, err := readKassa(kassa)
		if err != nil {
			return svar{}, fmt.Errorf("a-kassa %d: %w", out.kassor, err)
		}
		out.ersattning.Akassor = append(out.ersattning.Akassor, k)
		// The flat list, for clients of the first version, holds copies.
		for _, u := range k.GetUtbetalningar() {
			out.ersattning.Utbetalningar = append(out.ersattning.Utbetalningar, proto.CloneOf(u))
		}
	}
	return out, nil
}

// readKassa reads one a-kassa's Arbetsloshetsersattning: its payments,
// suspensions and application.
func readKassa(kassa *etree.Element) (*ssbtekv1.Akassa, error) {
	namn, err := required(kassa, "SvarandeOrganisation")
	if err != nil {
		return nil, err
	}
	k := &ssbtekv1.Akassa{Namn: namn}
	if st := soap.Child(kassa, Namespace, "StatusSvarandeOrganisation"); st != nil {
		k.Status = strings.TrimSpace(st.Text())
	}
	for _, u := range children(kassa, "Utbetalningar") {
		utb, err := utbetalning(u)
		if err != nil {
			return nil, err
		}
		utb.Akassa = namn
		k.Utbetalningar = append(k.Utbetalningar, utb)
	}
	for _, a := range children(kassa, "Avstangningar") {
		var av ssbtekv1.Avstangning
		for _, f := range []struct {
			name string
			dst  *string
		}{{"AvstangdFrom", &av.From}, {"AvstangdTom", &av.Tom}} {
			v, err := required(a, f.name)
			if err == nil {
				*f.dst, err = xsDate(v)
			}
			if err != nil {
				return nil, fmt.Errorf("Avstangningar: %w", wrapField(f.name, err))
			}
		}
		k.Avstangningar = append(k.Avstangningar, &av)
	}
	if a := soap.Child(kassa, Namespace, "AnsoktOmErsattning"); a != nil {
		// BeslutOmRattTillErsattning is xsi:nil (empty) until decided.
		if v, _ := required(a, "BeslutOmRattTillErsattning"); v != "" {
			d, err := xsDate(v)
			if err != nil {
				return nil, fmt.Errorf("AnsoktOmErsattning: %w", wrapField("BeslutOmRattTillErsattning", err))
			}
			k.BeslutOmRattTillErsattning = d
		}
		if v, err := required(a, "AnsokanOmUtbetalningInlamnad"); err == nil {
			b, err := strconv.ParseBool(v)
			if err != nil {
				return nil, fmt.Errorf("AnsoktOmErsattning: AnsokanOmUtbetalningInlamnad is not xs:boolean")
			}
			k.AnsokanOmUtbetalningInlamnad = &b
		}
	}
	return k, nil
}

// utbetalning reads one Utbetalningar. The schema gives net amounts only
// (after tax, and after other deductions): brutto and skatt stay zero, the
// deductions other than tax are the difference of the two. Amounts are kept
// exact in öre and days in hundredths; the whole-krona and whole-day fields
// of the first version are rounded.
func utbetalning(u *etree.Element) (*ssbtekv1.Arbetsloshetsersattning_Utbetalning, error) {
	var (
		out  ssbtekv1.Arbetsloshetsersattning_Utbetalning
		errs []error
	)
	date := func(name string) string {
		s, err := required(u, name)
		if err == nil {
			s, err = xsDate(s)
		}
		errs = append(errs, wrapField(name, err))
		return s
	}
	// amount reads an xs:decimal as rounded units and as exact hundredths.
	amount := func(name string) (int64, *int64) {
		s, err := required(u, name)
		var n, h int64
		if err == nil {
			n, err = whole(s)
		}
		if err == nil {
			h, err = hundredths(s)
		}
		errs = append(errs, wrapField(name, err))
		return n, &h
	}
	out.Utbetalningsdatum = date("Utbetalningsdatum")
	out.NettoEfterSkatt, out.NettoEfterSkattOre = amount("NettoEfterSkatt")
	_, out.NettoEfterAvdragOre = amount("NettoEfterAvdrag")
	avdrag := *out.NettoEfterSkattOre - *out.NettoEfterAvdragOre
	out.AvdragOre = &avdrag
	dagar, hundradelar := amount("Ersattningsdagar")
	out.ErsattningsdagarHundradelar = hundradelar
	out.From = date("AvserFrom")
	out.Tom = date("AvserTom")
	if dagar > math.MaxInt32 || dagar < math.MinInt32 {
		errs = append(errs, errors.New("Ersattningsdagar out of range"))
	}
	out.Dagar = int32(dagar)
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("Utbetalningar: %w", err)
	}
	return &out, nil
}

func wrapField(name string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%s: %w", name, err)
}

// children returns el's child elements with the given local name in the
// INT014 namespace.
func children(el *etree.Element, local string) []*etree.Element {
	var out []*etree.Element
	for c := range el.ChildElementsSeq() {
		if c.Tag == local && c.NamespaceURI() == Namespace {
			out = append(out, c)
		}
	}
	return out
}

// required returns the trimmed text of el's child in the INT014 namespace.
func required(el *etree.Element, local string) (string, error) {
	c := soap.Child(el, Namespace, local)
	if c == nil {
		return "", fmt.Errorf("missing %s", local)
	}
	return strings.TrimSpace(c.Text()), nil
}

var (
	// xsDatePattern is xs:date with its optional time zone, which .NET
	// writes for some DateTime kinds.
	xsDatePattern = regexp.MustCompile(`^([0-9]{4}-[0-9]{2}-[0-9]{2})(Z|[+-][0-9]{2}:[0-9]{2})?$`)
	// decimalPattern is xs:decimal's lexical space.
	decimalPattern = regexp.MustCompile(`^([+-]?)([0-9]*)(?:\.([0-9]*))?$`)
)

// xsDate normalises the a-kassa's xs:date (adapters.Date).
func xsDate(s string) (string, error) { return adapters.Date(s) }

// hundredths reads an xs:decimal exactly in hundredths (öre, hundredths of a
// day) with adapters.Hundredths, which refuses finer values.
func hundredths(s string) (int64, error) {
	if !decimalPattern.MatchString(s) || s == "" {
		return 0, errors.New("not an xs:decimal")
	}
	return adapters.Hundredths(s)
}

// whole rounds an xs:decimal to a whole number, half away from zero (50 öre
// and up round up), exactly: only the first decimal decides.
func whole(s string) (int64, error) {
	m := decimalPattern.FindStringSubmatch(s)
	if m == nil || m[2]+m[3] == "" {
		return 0, errors.New("not an xs:decimal")
	}
	var n int64
	if m[2] != "" {
		var err error
		if n, err = strconv.ParseInt(m[2], 10, 64); err != nil {
			return 0, errors.New("out of range")
		}
	}
	if m[3] != "" && m[3][0] >= '5' {
		if n == math.MaxInt64 {
			return 0, errors.New("out of range")
		}
		n++
	}
	if m[1] == "-" {
		n = -n
	}
	return n, nil
}
