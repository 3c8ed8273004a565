package legacy

import (
	"slices"

	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
)

// Reading a decoded hamtaBastjanstInformation into the modern Fraga. The
// decoder has already checked the request against the contract, so absent
// elements here are optional ones; or, for the record of a refused request,
// the elements the decoder did not reach, so every read here is nil-safe.

// elements returns n's children (none for nil).
func (n *node) elements() []*node {
	if n == nil {
		return nil
	}
	return n.kids
}

// text returns the value of n's child called name ("" when absent).
func (n *node) text(name string) string {
	if c := n.child(name); c != nil {
		return c.value
	}
	return ""
}

// flag returns the boolean value of n's child called name (false when absent).
func (n *node) flag(name string) bool {
	v, _ := parseBoolean(n.text(name))
	return v
}

// included reports whether an agency node's inkludera is true.
func (n *node) included() bool {
	v, _ := parseBoolean(n.inkludera)
	return v
}

func (r *request) generella() *node { return r.root.child("generellaFrageparametrar") }

// agencies returns the agency elements of specifikaFrageparametrar, in
// contract order.
func (r *request) agencies() []*node { return r.root.child("specifikaFrageparametrar").elements() }

// bastjanstFor maps the contract's agency element name to the enum.
func bastjanstFor(kod string) ssbtekv1.Bastjanst {
	return ssbtekv1.Bastjanst(ssbtekv1.Bastjanst_value["BASTJANST_"+kod])
}

func period(n *node) *ssbtekv1.Tidsperiod {
	return &ssbtekv1.Tidsperiod{
		From: dateOnly(n.text("fromDatum")),
		Tom:  dateOnly(n.text("tomDatum")),
	}
}

// fraga builds the modern question. Who sends it (and so Fraga.Ombud) is the
// lookup service's to say, from the caller's certificate.
func (r *request) fraga() *ssbtekv1.Fraga {
	g := r.generella()
	ing := g.child("ingivare")
	f := &ssbtekv1.Fraga{
		Organisationsnummer: ing.text("organisationsnummer"),
		Ingivare:            ing.text("namn"),
		Handlaggare:         ing.text("handlaggare"),
		Personidentitet:     g.text("personidentitet"),
		Arendeidentitet:     g.text("arendeidentitet"),
		Period:              period(g.child("tidsperiod")),
		Syfte:               g.text("syfte"),
		Lagtext:             g.text("lagtext"),
		Korrelationsid:      g.text("korrelationsid"),
	}
	for _, c := range g.elements() {
		if c.def.name != "personuppgiftsbitrade" {
			continue
		}
		ord, _ := parseInteger(c.text("ordningsnummer"), -32768, 32767)
		f.Personuppgiftsbitrade = append(f.Personuppgiftsbitrade, &ssbtekv1.Personuppgiftsbitrade{
			Ordningsnummer:      int32(ord),
			Organisationsnummer: c.text("organisationsnummer"),
			Namn:                c.text("namn"),
		})
	}
	for _, n := range r.agencies() {
		if !n.included() {
			continue
		}
		b := bastjanstFor(n.def.name)
		f.Bastjanster = append(f.Bastjanster, b)
		if p := n.child("tidsperiod"); p != nil {
			f.BastjanstPerioder = append(f.BastjanstPerioder, &ssbtekv1.BastjanstPeriod{Bastjanst: b, Period: period(p)})
		}
		if ff := n.child("formansforteckning"); ff != nil {
			// v1-v9: the FK benefits asked for, and only these.
			f.Fk = &ssbtekv1.FkParametrar{Grupper: formansGrupper(ff)}
		}
		fr := n.child("fraga")
		if fr == nil {
			continue
		}
		switch b {
		case ssbtekv1.Bastjanst_BASTJANST_FK:
			json, _ := decodeBase64(fr.text("lefiJsonFraga"))
			f.Fk = &ssbtekv1.FkParametrar{Version: fr.text("version"), Aktorsid: fr.text("aktorsid"), LefiJsonFraga: json}
		case ssbtekv1.Bastjanst_BASTJANST_SKV:
			skv := &ssbtekv1.SkvParametrar{
				Foretagsinformation: fr.flag("foretagsinformation"),
				Individuppgifter:    fr.flag("individuppgifter"),
				Skattekonto:         fr.flag("skattekonto"),
				Skatteuppgifter:     fr.flag("skatteuppgifter"),
				Beskattningsbilagor: fr.flag("beskattningsbilagor"),
			}
			for _, a := range fr.elements() {
				if a.def.name == "ar" {
					ar, _ := parseInteger(a.value, 1900, 2100)
					skv.Ar = append(skv.Ar, int32(ar))
				}
			}
			f.Skv = skv
		}
	}
	if r.ver != nil && r.ver.name != "11" && slices.Contains(f.Bastjanster, ssbtekv1.Bastjanst_BASTJANST_SKV) {
		// Versions before 11 pass on Beskattningsuppgifter's one answer;
		// v11 has Skatteverket's answer in parts.
		f.Skv = &ssbtekv1.SkvParametrar{Beskattningsuppgifter: true}
	}
	return f
}
