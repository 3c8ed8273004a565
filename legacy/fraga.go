package legacy

import (
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
)

// Reading a decoded hamtaBastjanstInformation into the modern Fraga. The
// decoder has already checked the request against the contract, so absent
// elements here are optional ones.

// root is the operation element's node.
const root int32 = 0

// child returns the first child of n called name, or -1.
func (d *decoder) child(n int32, name string) int32 {
	if n < 0 {
		return -1
	}
	for c := d.nodes[n].first; c >= 0; c = d.nodes[c].next {
		if d.nodes[c].def.name == name {
			return c
		}
	}
	return -1
}

// value returns the value of n's child called name ("" when absent).
func (d *decoder) value(n int32, name string) string {
	if c := d.child(n, name); c >= 0 {
		return string(d.nodes[c].value)
	}
	return ""
}

// flag returns the boolean value of n's child called name (false when absent).
func (d *decoder) flag(n int32, name string) bool {
	if c := d.child(n, name); c >= 0 {
		v, _ := parseBoolean(d.nodes[c].value)
		return v
	}
	return false
}

// generella returns the generellaFrageparametrar node.
func (d *decoder) generella() int32 { return d.child(root, "generellaFrageparametrar") }

// included reports whether an agency node's inkludera is true.
func (d *decoder) included(n int32) bool {
	v, _ := parseBoolean(d.nodes[n].inkludera)
	return v
}

// wantsEcho reports whether the caller asked for its question in the answer.
func (d *decoder) wantsEcho() bool { return d.flag(d.generella(), "fraganSkallInkluderasISvaret") }

// agencies calls fn for each agency element of specifikaFrageparametrar, in
// contract order.
func (d *decoder) agencies(fn func(b ssbtekv1.Bastjanst, n int32)) {
	for c := d.nodes[d.child(root, "specifikaFrageparametrar")].first; c >= 0; c = d.nodes[c].next {
		fn(bastjanstFor(d.nodes[c].def.name), c)
	}
}

// bastjanstFor maps the contract's agency element name to the enum.
func bastjanstFor(kod string) ssbtekv1.Bastjanst {
	return ssbtekv1.Bastjanst(ssbtekv1.Bastjanst_value["BASTJANST_"+kod])
}

func (d *decoder) period(n int32) *ssbtekv1.Tidsperiod {
	return &ssbtekv1.Tidsperiod{
		From: string(dateOnly(d.nodes[d.child(n, "fromDatum")].value)),
		Tom:  string(dateOnly(d.nodes[d.child(n, "tomDatum")].value)),
	}
}

// fraga builds the modern question. ombud comes from the iip header.
func (d *decoder) fraga() *ssbtekv1.Fraga {
	g := d.generella()
	ing := d.child(g, "ingivare")
	f := &ssbtekv1.Fraga{
		Organisationsnummer: d.value(ing, "organisationsnummer"),
		Ingivare:            d.value(ing, "namn"),
		Handlaggare:         d.value(ing, "handlaggare"),
		Personidentitet:     d.value(g, "personidentitet"),
		Arendeidentitet:     d.value(g, "arendeidentitet"),
		Period:              d.period(d.child(g, "tidsperiod")),
		Syfte:               d.value(g, "syfte"),
		Lagtext:             d.value(g, "lagtext"),
		Ombud:               d.ombud,
		Korrelationsid:      d.value(g, "korrelationsid"),
	}
	for c := d.nodes[g].first; c >= 0; c = d.nodes[c].next {
		if d.nodes[c].def.name != "personuppgiftsbitrade" {
			continue
		}
		var ord int64
		if o := d.child(c, "ordningsnummer"); o >= 0 {
			ord, _ = parseInteger(d.nodes[o].value, -32768, 32767)
		}
		f.Personuppgiftsbitrade = append(f.Personuppgiftsbitrade, &ssbtekv1.Personuppgiftsbitrade{
			Ordningsnummer:      int32(ord),
			Organisationsnummer: d.value(c, "organisationsnummer"),
			Namn:                d.value(c, "namn"),
		})
	}
	d.agencies(func(b ssbtekv1.Bastjanst, n int32) {
		if !d.included(n) {
			return
		}
		f.Bastjanster = append(f.Bastjanster, b)
		if p := d.child(n, "tidsperiod"); p >= 0 {
			f.BastjanstPerioder = append(f.BastjanstPerioder, &ssbtekv1.BastjanstPeriod{Bastjanst: b, Period: d.period(p)})
		}
		fr := d.child(n, "fraga")
		if fr < 0 {
			return
		}
		switch b {
		case ssbtekv1.Bastjanst_BASTJANST_FK:
			json, _ := decodeBase64(d.nodes[d.child(fr, "lefiJsonFraga")].value)
			f.Fk = &ssbtekv1.FkParametrar{
				Version:       d.value(fr, "version"),
				Aktorsid:      d.value(fr, "aktorsid"),
				LefiJsonFraga: json,
			}
		case ssbtekv1.Bastjanst_BASTJANST_SKV:
			skv := &ssbtekv1.SkvParametrar{
				Foretagsinformation: d.flag(fr, "foretagsinformation"),
				Individuppgifter:    d.flag(fr, "individuppgifter"),
				Skattekonto:         d.flag(fr, "skattekonto"),
				Skatteuppgifter:     d.flag(fr, "skatteuppgifter"),
				Beskattningsbilagor: d.flag(fr, "beskattningsbilagor"),
			}
			for a := d.nodes[fr].first; a >= 0; a = d.nodes[a].next {
				if d.nodes[a].def.name == "ar" {
					ar, _ := parseInteger(d.nodes[a].value, 1900, 2100)
					skv.Ar = append(skv.Ar, int32(ar))
				}
			}
			f.Skv = skv
		}
	})
	return f
}
