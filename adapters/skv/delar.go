package skv

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/ssbtek/gateway/adapters"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
)

// Skatteverket's JSON interface answers in five parts, each asked on its
// own (SSBTEK v11). This file holds the wire: the parts, the question, the
// error answer and each part's JSON, and the typing of each part into
// Beskattning. README.md describes the interface.

// The parts, in the order SSBTEK v11's answer lists them.
const (
	delForetagsinformation = "foretagsinformation"
	delIndividuppgifter    = "individuppgifter"
	delSkattekonto         = "skattekonto"
	delSkatteuppgifter     = "skatteuppgifter"
	delBeskattningsbilagor = "beskattningsbilagor"
)

// delar is every part in answer order.
var delar = []string{delForetagsinformation, delIndividuppgifter, delSkattekonto, delSkatteuppgifter, delBeskattningsbilagor}

// The interface's paths, LEFI's style: POST
// {base}/beskattning-ekonomiskt-bistand/v1/aktorer/{aktorsId}/{del}/fraga.
const (
	jsonBasePath  = "/beskattning-ekonomiskt-bistand/"
	jsonVersion   = "v1"
	fragaSuffix   = "/fraga"
	mediaTypeJSON = "application/json"
)

// delFraga is the question each part is asked: who asks, about whom, why,
// and for which income years.
type delFraga struct {
	Personnummer    string      `json:"personnummer"`
	Ar              []int32     `json:"ar,omitempty"`
	Tidsperiod      *tidsperiod `json:"tidsperiod,omitempty"`
	Arendeidentitet string      `json:"arendeidentitet"`
	Handlaggare     string      `json:"handlaggare"`
	Syfte           string      `json:"syfte,omitempty"`
	Lagtext         string      `json:"lagtext,omitempty"`
	Ombud           string      `json:"ombud,omitempty"`
	Korrelationsid  string      `json:"korrelationsid,omitempty"`
}

type tidsperiod struct {
	From string `json:"from"`
	Tom  string `json:"tom"`
}

// delFelsvar is the interface's error answer (any HTTP status from 400 on):
// LEFI's {meddelande, timestamp} with Skatteverket's felkod; "404" with
// "Not found" when the part holds nothing about the person.
type delFelsvar struct {
	Felkod     string `json:"felkod,omitempty"`
	Meddelande string `json:"meddelande"`
	Timestamp  string `json:"timestamp,omitempty"`
}

// The part foretagsinformation, as seen in FK's v11 traffic.
type foretagsinformationJSON struct {
	Foretag *foretagJSON `json:"foretag"`
}

type foretagJSON struct {
	ForetagID              string `json:"foretagId"`
	Arbetsgivarregistrerad bool   `json:"arbetsgivarregistrerad"`
	Momsregistrerad        bool   `json:"momsregistrerad"`
	GodkandFskatt          bool   `json:"godkandFskatt"`
}

// The part skattekonto, as seen in FK's v11 traffic: amounts in kronor.
type skattekontoJSON struct {
	Kontohavare       string `json:"kontohavare"`
	UtbetaltBelopp    *int64 `json:"utbetaltBelopp,omitempty"`
	Bokforingsdag     string `json:"bokforingsdag,omitempty"`
	Saldo             *int64 `json:"saldo,omitempty"`
	PreliminarRanta   *int64 `json:"preliminarRanta,omitempty"`
	Utbetalningskonto string `json:"utbetalningskonto,omitempty"`
	SenastUppdaterad  string `json:"senastUppdaterad,omitempty"`
}

// The part skatteuppgifter, as seen in FK's v11 traffic: amounts are
// strings of kronor.
type skatteuppgifterJSON struct {
	Identitet                string         `json:"identitet"`
	BeslutadeSkatteuppgifter []beslutadJSON `json:"beslutadeSkatteuppgifter"`
}

type beslutadJSON struct {
	Beskattningsar     int32         `json:"beskattningsar"`
	Beskattningsperiod string        `json:"beskattningsperiod,omitempty"`
	DatumFaststalld    string        `json:"datumFaststalld,omitempty"`
	Uppgifter          uppgifterJSON `json:"uppgifter"`
}

type uppgifterJSON struct {
	Inkomstar         string `json:"inkomstar,omitempty"`
	OverskottAvTjanst string `json:"overskottAvTjanst,omitempty"`
	SumKapital        string `json:"sumKapital,omitempty"`
	FastStalldinkomst string `json:"fastStalldinkomst,omitempty"`
	SummaSlutligSkatt string `json:"summaSlutligSkatt,omitempty"`
}

// The part individuppgifter, our design (README.md): per income year what
// Skatteverket discloses to social services, amounts strings of kronor.
type individuppgifterJSON struct {
	Identitet string          `json:"identitet"`
	Statuskod string          `json:"statuskod"`
	Ar        []individArJSON `json:"ar"`
}

type individArJSON struct {
	Inkomstar            int32  `json:"inkomstar"`
	Taxeringsar          int32  `json:"taxeringsar,omitempty"`
	SummaIntakterKapital string `json:"summaIntakterKapital,omitempty"`
	OverskottKapital     string `json:"overskottKapital,omitempty"`
	Statuskod            string `json:"statuskod,omitempty"`
}

// The part beskattningsbilagor, our design (README.md): the attachments of
// the income tax return, each figure by its ruta, amounts strings of kronor.
type beskattningsbilagorJSON struct {
	Identitet string       `json:"identitet"`
	Statuskod string       `json:"statuskod"`
	Bilagor   []bilagaJSON `json:"bilagor"`
}

type bilagaJSON struct {
	Inkomstar int32        `json:"inkomstar"`
	Blankett  string       `json:"blankett"`
	Benamning string       `json:"benamning,omitempty"`
	Statuskod string       `json:"statuskod,omitempty"`
	Belopp    []beloppJSON `json:"belopp,omitempty"`
}

type beloppJSON struct {
	Ruta      string `json:"ruta"`
	Benamning string `json:"benamning,omitempty"`
	Varde     string `json:"varde"`
}

// typeDel reads the JSON of part del about pnr into b. An answer that is no
// JSON object, has a value of the wrong type or an amount that is no
// number, or names another person, is unreadable.
func typeDel(b *ssbtekv1.Beskattning, del string, raw []byte, pnr string) error {
	if t := bytes.TrimSpace(raw); len(t) == 0 || t[0] != '{' {
		return errors.New("part is not a JSON object")
	}
	switch del {
	case delForetagsinformation:
		var v foretagsinformationJSON
		if err := json.Unmarshal(raw, &v); err != nil {
			return err
		}
		if v.Foretag == nil {
			return errors.New("foretagsinformation without foretag")
		}
		f := v.Foretag
		b.Foretagsinformation = &ssbtekv1.Foretagsinformation{
			ForetagId: f.ForetagID, GodkandFskatt: f.GodkandFskatt, Arbetsgivarregistrerad: f.Arbetsgivarregistrerad,
			Momsregistrerad: f.Momsregistrerad, DriverForetag: f.GodkandFskatt || f.Arbetsgivarregistrerad || f.Momsregistrerad,
		}
	case delSkattekonto:
		var v skattekontoJSON
		if err := json.Unmarshal(raw, &v); err != nil {
			return err
		}
		if err := samePerson(v.Kontohavare, pnr); err != nil {
			return err
		}
		dag, err := optionalDate(v.Bokforingsdag)
		if err != nil {
			return fmt.Errorf("skattekonto bokforingsdag: %w", err)
		}
		b.Skattekonto = &ssbtekv1.Skattekonto{
			Kontohavare: v.Kontohavare, UtbetaltBeloppKronor: v.UtbetaltBelopp, Bokforingsdag: dag,
			SaldoKronor: v.Saldo, PreliminarRantaKronor: v.PreliminarRanta,
			Utbetalningskonto: v.Utbetalningskonto, SenastUppdaterad: v.SenastUppdaterad,
		}
	case delSkatteuppgifter:
		var v skatteuppgifterJSON
		if err := json.Unmarshal(raw, &v); err != nil {
			return err
		}
		if err := samePerson(v.Identitet, pnr); err != nil {
			return err
		}
		for _, s := range v.BeslutadeSkatteuppgifter {
			u := s.Uppgifter
			var amounts [4]*int64
			for i, a := range []string{u.FastStalldinkomst, u.OverskottAvTjanst, u.SumKapital, u.SummaSlutligSkatt} {
				var err error
				if amounts[i], err = ore(a); err != nil {
					return fmt.Errorf("skatteuppgifter %d: %w", s.Beskattningsar, err)
				}
			}
			b.Skatteuppgifter = append(b.Skatteuppgifter, &ssbtekv1.BeslutadSkatteuppgift{
				Beskattningsar: s.Beskattningsar, Beskattningsperiod: s.Beskattningsperiod, DatumFaststalld: s.DatumFaststalld,
				Inkomstar: u.Inkomstar, FaststalldInkomstOre: amounts[0], OverskottAvTjanstOre: amounts[1],
				OverskottKapitalOre: amounts[2], SlutligSkattOre: amounts[3],
			})
		}
	case delIndividuppgifter:
		var v individuppgifterJSON
		if err := json.Unmarshal(raw, &v); err != nil {
			return err
		}
		if err := samePerson(v.Identitet, pnr); err != nil {
			return err
		}
		out := &ssbtekv1.Individuppgifter{Statuskod: v.Statuskod}
		for _, a := range v.Ar {
			summa, err1 := ore(a.SummaIntakterKapital)
			over, err2 := ore(a.OverskottKapital)
			if err := errors.Join(err1, err2); err != nil {
				return fmt.Errorf("individuppgifter %d: %w", a.Inkomstar, err)
			}
			out.Ar = append(out.Ar, &ssbtekv1.Individuppgifter_Ar{
				Inkomstar: a.Inkomstar, Taxeringsar: a.Taxeringsar, SummaIntakterKapitalOre: summa,
				OverskottKapitalOre: over, Statuskod: a.Statuskod,
			})
		}
		b.Individuppgifter = out
	case delBeskattningsbilagor:
		var v beskattningsbilagorJSON
		if err := json.Unmarshal(raw, &v); err != nil {
			return err
		}
		if err := samePerson(v.Identitet, pnr); err != nil {
			return err
		}
		out := &ssbtekv1.Beskattningsbilagor{Statuskod: v.Statuskod}
		for _, bl := range v.Bilagor {
			bilaga := &ssbtekv1.Beskattningsbilagor_Bilaga{Inkomstar: bl.Inkomstar, Blankett: bl.Blankett, Benamning: bl.Benamning, Statuskod: bl.Statuskod}
			for _, be := range bl.Belopp {
				v, err := ore(be.Varde)
				if err != nil {
					return fmt.Errorf("beskattningsbilaga %s %s: %w", bl.Blankett, be.Ruta, err)
				}
				bilaga.Belopp = append(bilaga.Belopp, &ssbtekv1.Beskattningsbilagor_Belopp{Ruta: be.Ruta, Benamning: be.Benamning, VardeOre: v})
			}
			out.Bilagor = append(out.Bilagor, bilaga)
		}
		b.Beskattningsbilagor = out
	default:
		return fmt.Errorf("unknown part %q", del)
	}
	return nil
}

// samePerson checks that an answer's identity, when it names one, is pnr
// (12 digits, or its last 10): data about anyone else is never passed on.
func samePerson(id, pnr string) error {
	if id == "" || id == pnr || len(pnr) == 12 && id == pnr[2:] {
		return nil
	}
	return adapters.ErrOtherPerson
}

// ore reads an amount sent as a string of kronor exactly into öre; "" is
// absent.
func ore(s string) (*int64, error) {
	if s == "" {
		return nil, nil
	}
	h, err := adapters.Hundredths(s)
	if err != nil {
		return nil, fmt.Errorf("amount %q: %w", s, err)
	}
	return &h, nil
}

// optionalDate reads a YYYY-MM-DD date; "" stays "".
func optionalDate(s string) (string, error) {
	if s == "" {
		return "", nil
	}
	return adapters.Date(s)
}

// yearsFor are the income years a question asks: its own, else those from
// the year before the period's first to its last (at most 20, as the
// modern API's validation allows).
func yearsFor(f *ssbtekv1.Fraga, p *ssbtekv1.Tidsperiod) []int32 {
	if ar := f.GetSkv().GetAr(); len(ar) > 0 {
		return ar
	}
	from, err1 := strconv.Atoi(prefixOf(p.GetFrom(), 4))
	tom, err2 := strconv.Atoi(prefixOf(p.GetTom(), 4))
	if err1 != nil || err2 != nil || tom < from {
		return nil
	}
	var out []int32
	for y := max(from-1, tom-19); y <= tom; y++ {
		out = append(out, int32(y))
	}
	return out
}

func prefixOf(s string, n int) string {
	if len(s) < n {
		return ""
	}
	return s[:n]
}

// delarFor are the parts a question asks for, in answer order: those its
// SKV block names, or all five when it names none.
func delarFor(f *ssbtekv1.Fraga) []string {
	p := f.GetSkv()
	asked := map[string]bool{
		delForetagsinformation: p.GetForetagsinformation(),
		delIndividuppgifter:    p.GetIndividuppgifter(),
		delSkattekonto:         p.GetSkattekonto(),
		delSkatteuppgifter:     p.GetSkatteuppgifter(),
		delBeskattningsbilagor: p.GetBeskattningsbilagor(),
	}
	var out []string
	for _, d := range delar {
		if asked[d] {
			out = append(out, d)
		}
	}
	if len(out) == 0 {
		return delar
	}
	return out
}
