package inkomst

import (
	"cmp"

	"github.com/ssbtek/gateway/bastjanst"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
)

// payments reads every payment, made or planned, out of one agency's typed
// content.
func payments(r *ssbtekv1.BastjanstResultat) []*ssbtekv1.Inkomst {
	b := r.GetBastjanst()
	switch c := r.GetInnehall().(type) {
	case *ssbtekv1.BastjanstResultat_Fk:
		return formanPayments(b, c.Fk.GetFormaner())
	case *ssbtekv1.BastjanstResultat_Csn:
		return formanPayments(b, c.Csn.GetFormaner())
	case *ssbtekv1.BastjanstResultat_So:
		return soPayments(b, c.So)
	case *ssbtekv1.BastjanstResultat_Skv:
		return skvPayments(b, c.Skv)
	}
	return nil
}

// formanPayments lists the utbetalningar and preliminara_utbetalningar of
// each FormansBeslut (FK/PM, CSN). The benefit's utlämnare says whose
// payment it is: one LEFI answer carries both Försäkringskassan's and
// Pensionsmyndigheten's, and the summary keeps them apart.
func formanPayments(b ssbtekv1.Bastjanst, formaner []*ssbtekv1.FormansBeslut) []*ssbtekv1.Inkomst {
	var out []*ssbtekv1.Inkomst
	for _, f := range formaner {
		utl := utlamnare(b, f.GetUtlamnare())
		for _, u := range f.GetUtbetalningar() {
			out = append(out, fromUtbetalning(b, utl, f.GetForman(), u, ssbtekv1.Utbetalningsstatus_UTBETALNINGSSTATUS_UTBETALD))
		}
		for _, u := range f.GetPreliminaraUtbetalningar() {
			out = append(out, fromUtbetalning(b, utl, f.GetForman(), u, ssbtekv1.Utbetalningsstatus_UTBETALNINGSSTATUS_PRELIMINAR))
		}
	}
	return out
}

// utlamnare is the authority a payment of agency b belongs to: for FK the
// benefit's own ("FK" or "PM", FK when it does not say), for every other
// agency the agency itself.
func utlamnare(b ssbtekv1.Bastjanst, own string) string {
	if b == ssbtekv1.Bastjanst_BASTJANST_FK && own != "" {
		return own
	}
	return bastjanst.Kod(b)
}

// fromUtbetalning copies a payment; the list it came from decides its status
// when the payment does not say.
func fromUtbetalning(b ssbtekv1.Bastjanst, utl, forman string, u *ssbtekv1.Utbetalning, list ssbtekv1.Utbetalningsstatus) *ssbtekv1.Inkomst {
	st := u.GetStatus()
	if st == ssbtekv1.Utbetalningsstatus_UTBETALNINGSSTATUS_UNSPECIFIED {
		st = list
	}
	return &ssbtekv1.Inkomst{
		Kalla:             b,
		Forman:            forman,
		Utbetalningsdatum: u.GetUtbetalningsdatum(),
		From:              u.GetFrom(),
		Tom:               u.GetTom(),
		BruttoOre:         u.BruttoOre,
		SkattOre:          u.SkattOre,
		AvdragOre:         u.AvdragOre,
		NettoOre:          u.NettoOre,
		Status:            st,
		Utbetalare:        u.GetUtbetalare(),
		Utlamnare:         utl,
	}
}

// formanArbetsloshetsersattning names the a-kassor's only benefit.
const formanArbetsloshetsersattning = "arbetsloshetsersattning"

// soPayments reads the a-kassor's payments: per a-kassa when the answer has
// them (the flat list repeats the same payments), else the flat list.
func soPayments(b ssbtekv1.Bastjanst, so *ssbtekv1.Arbetsloshetsersattning) []*ssbtekv1.Inkomst {
	var out []*ssbtekv1.Inkomst
	if len(so.GetAkassor()) > 0 {
		for _, k := range so.GetAkassor() {
			for _, u := range k.GetUtbetalningar() {
				out = append(out, soPayment(b, cmp.Or(u.GetAkassa(), k.GetNamn()), u))
			}
		}
		return out
	}
	for _, u := range so.GetUtbetalningar() {
		out = append(out, soPayment(b, u.GetAkassa(), u))
	}
	return out
}

// soPayment maps one INT014 payment. What reached the person is
// NettoEfterAvdrag; INT014 has no gross or tax figure, so those stay absent
// unless an a-kassa sent them. An answer typed before the öre fields existed
// has only the kronor NettoEfterSkatt, which is then the net.
func soPayment(b ssbtekv1.Bastjanst, akassa string, u *ssbtekv1.Arbetsloshetsersattning_Utbetalning) *ssbtekv1.Inkomst {
	in := &ssbtekv1.Inkomst{
		Kalla:             b,
		Forman:            formanArbetsloshetsersattning,
		Utbetalningsdatum: u.GetUtbetalningsdatum(),
		From:              u.GetFrom(),
		Tom:               u.GetTom(),
		Status:            ssbtekv1.Utbetalningsstatus_UTBETALNINGSSTATUS_UTBETALD,
		Utbetalare:        akassa,
		Utlamnare:         utlamnare(b, ""),
	}
	switch {
	case u.NettoEfterAvdragOre != nil:
		in.NettoOre = u.NettoEfterAvdragOre
	case u.NettoEfterSkattOre != nil:
		in.NettoOre = u.NettoEfterSkattOre
	case u.GetNettoEfterSkatt() != 0:
		in.NettoOre = ptr(u.GetNettoEfterSkatt() * 100)
	}
	if u.AvdragOre != nil {
		in.AvdragOre = u.AvdragOre
	} else if u.NettoEfterSkattOre != nil && u.NettoEfterAvdragOre != nil {
		in.AvdragOre = ptr(u.GetNettoEfterSkattOre() - u.GetNettoEfterAvdragOre())
	}
	if u.GetBrutto() != 0 {
		in.BruttoOre = ptr(u.GetBrutto() * 100)
	}
	if u.GetSkatt() != 0 {
		in.SkattOre = ptr(u.GetSkatt() * 100)
	}
	return in
}

// formanKontohavare names Skatteverket's payment to the account holder.
const formanKontohavare = "utbetalning till kontohavare"

// delMedUtbetalningar is the part of Skatteverket's answer in parts that
// holds its payouts.
const delMedUtbetalningar = "skattekonto"

// skvPayments reads what Skatteverket paid out: from the tax account (the
// part skattekonto: utbetaltBelopp on its bokforingsdag), or from
// Beskattningsuppgifter (UtbetaltBeloppTillKontohavare on
// BokforingsdagForUtbetalningar) per year; an answer without taxeringar
// has it in the first version's top-level fields. A tax refund is paid
// without tax, so gross = net and tax 0.
func skvPayments(b ssbtekv1.Bastjanst, skv *ssbtekv1.Beskattning) []*ssbtekv1.Inkomst {
	var out []*ssbtekv1.Inkomst
	one := func(kronor int64, dag string) {
		out = append(out, &ssbtekv1.Inkomst{
			Kalla:             b,
			Forman:            formanKontohavare,
			Utbetalningsdatum: dag,
			BruttoOre:         ptr(kronor * 100),
			SkattOre:          ptr(int64(0)),
			NettoOre:          ptr(kronor * 100),
			Status:            ssbtekv1.Utbetalningsstatus_UTBETALNINGSSTATUS_UTBETALD,
			Utbetalare:        "Skatteverket",
			Utlamnare:         utlamnare(b, ""),
		})
	}
	if k := skv.GetSkattekonto(); k != nil && k.UtbetaltBeloppKronor != nil && k.GetBokforingsdag() != "" {
		one(k.GetUtbetaltBeloppKronor(), k.GetBokforingsdag())
	}
	if len(skv.GetTaxeringar()) > 0 {
		for _, t := range skv.GetTaxeringar() {
			if t.UtbetaltBeloppTillKontohavareKronor != nil {
				one(t.GetUtbetaltBeloppTillKontohavareKronor(), t.GetBokforingsdagForUtbetalningar())
			}
		}
		return out
	}
	if skv.GetUtbetaltBeloppTillKontohavare() != 0 {
		one(skv.GetUtbetaltBeloppTillKontohavare(), skv.GetBokforingsdagForUtbetalningar())
	}
	return out
}

func ptr[T any](v T) *T { return &v }
