package fk

import (
	"bytes"
	"encoding/json"
	"errors"
)

// The wire types of LEFI v9, for the parts this package reads or the
// simulator writes. Everything else in an answer is ignored on decoding
// (the contract allows additional properties) and kept in Radata.
// Optional values are pointers or omitted when empty, so that what the
// simulator writes carries only what it means to say.

// fraga is LefiExternFormansinformationFraga.
type fraga struct {
	Personnummer             string   `json:"personnummer"`
	Period                   *period  `json:"period,omitempty"`
	Formansinformation       []string `json:"formansinformation,omitempty"`
	Ansprak                  []string `json:"ansprak,omitempty"`
	Beslut                   []string `json:"beslut,omitempty"`
	PreliminaraUtbetalningar []string `json:"preliminaraUtbetalningar,omitempty"`
	Utbetalningar            []string `json:"utbetalningar,omitempty"`
	OvrigInformation         []string `json:"ovrigInformation,omitempty"`
}

// period is LefiPeriod (tom required) and LefiPeriodMedValfrittTom (tom optional).
type period struct {
	From string `json:"from"`
	Tom  string `json:"tom,omitempty"`
}

// felsvar is LefiFelsvar. It has no code of its own: the HTTP status is the code.
type felsvar struct {
	Meddelande string `json:"meddelande,omitempty"`
	Timestamp  string `json:"timestamp,omitempty"`
}

// svar is LefiExternFormansinformationSvar.
type svar struct {
	Utlamnare          []utlamnareTillstand `json:"utlamnare"`
	Avvikelser         *avvikelser          `json:"avvikelser,omitempty"`
	Formansinformation *formansinformation  `json:"formansinformation,omitempty"`
	Ansprak            []pmAnsprak          `json:"ansprak,omitempty"`
	Beslut             []pmBeslut           `json:"beslut,omitempty"`
}

// tillgangligaTyper is LefiExternTillgangligaInformationstyper, with the
// utlämnare that its example shows (the schema leaves them out).
type tillgangligaTyper struct {
	Utlamnare          []utlamnareTillstand `json:"utlamnare,omitempty"`
	Formansinformation []kodBeskrivning     `json:"formansinformation,omitempty"`
	Ansprak            []kodBeskrivning     `json:"ansprak,omitempty"`
	Beslut             []kodBeskrivning     `json:"beslut,omitempty"`
	Utbetalningar      []kodBeskrivning     `json:"utbetalningar,omitempty"`
	OvrigInformation   []kodBeskrivning     `json:"ovrigInformation,omitempty"`
}

// kodBeskrivning is the contract's many {kod, beskrivning} pairs: groups,
// tillstånd, avvikelser, statuses, outcomes.
type kodBeskrivning struct {
	Kod         string `json:"kod,omitempty"`
	Beskrivning string `json:"beskrivning,omitempty"`
}

// utlamnareTillstand is LefiUtlamnareTillstand.
type utlamnareTillstand struct {
	Utlamnare *utlamnare      `json:"utlamnare,omitempty"`
	Tillstand *kodBeskrivning `json:"tillstand,omitempty"`
}

// utlamnare is LefiUtlamnare.
type utlamnare struct {
	Kod  string `json:"kod,omitempty"`
	Namn string `json:"namn,omitempty"`
}

// avvikelser is LefiExternFormansinformationAvvikelser.
type avvikelser struct {
	Formansinformation       []avvikelse `json:"formansinformation,omitempty"`
	Ansprak                  []avvikelse `json:"ansprak,omitempty"`
	Beslut                   []avvikelse `json:"beslut,omitempty"`
	PreliminaraUtbetalningar []avvikelse `json:"preliminaraUtbetalningar,omitempty"`
	Utbetalningar            []avvikelse `json:"utbetalningar,omitempty"`
	OvrigInformation         []avvikelse `json:"ovrigInformation,omitempty"`
}

// UnmarshalJSON reads the object the schema defines, and also the empty
// array that the contract's own example answer shows for "no avvikelser":
// refusing every answer shaped like the example would be the worse mistake.
func (a *avvikelser) UnmarshalJSON(b []byte) error {
	if t := bytes.TrimSpace(b); bytes.HasPrefix(t, []byte("[")) {
		var none []struct{}
		if err := json.Unmarshal(t, &none); err != nil || len(none) > 0 {
			return errors.New("avvikelser is a non-empty array, not an object")
		}
		*a = avvikelser{}
		return nil
	}
	type plain avvikelser
	return json.Unmarshal(b, (*plain)(a))
}

// avvikelse is one of the Lefi*Avvikelse* types: the group or övrig-information
// type that could not be delivered, and why.
type avvikelse struct {
	Avvikelse            *kodBeskrivning `json:"avvikelse,omitempty"`
	Formansgrupp         *kodBeskrivning `json:"formansgrupp,omitempty"`
	OvrigInformationstyp *kodBeskrivning `json:"ovrigInformationstyp,omitempty"`
}

// formansinformation is LefiFormansinformation, Försäkringskassan's model,
// with the kinds of ärende this package maps.
type formansinformation struct {
	GenerellPersoninformation   []personinformation               `json:"generellPersoninformation,omitempty"`
	Aktivitetsstod              []arende[beslut]                  `json:"aktivitetsstodsarende,omitempty"`
	Allmanpension               []arende[omfattningsbeslut]       `json:"allmanpensionsarende,omitempty"`
	Barnbidrag                  []arende[beslut]                  `json:"barnbidragsarende,omitempty"`
	Bostadsbidrag               []arende[beslut]                  `json:"bostadsbidragsarende,omitempty"`
	Bostadstillagg              []arende[beslut]                  `json:"bostadstillaggsarende,omitempty"`
	Efterlevandepension         []arende[beslut]                  `json:"efterlevandepensionsarende,omitempty"`
	Foraldrapenning             []arende[foraldrapenningBeslut]   `json:"foraldrapenningarende,omitempty"`
	Handikappersattning         []arende[omfattningsbeslut]       `json:"handikappersattningsarende,omitempty"`
	Programersattning           []arende[programersattningBeslut] `json:"programersattningsarende,omitempty"`
	SjukOchAktivitetsersattning []arende[omfattningsbeslut]       `json:"sjukOchAktivitetsersattningsarende,omitempty"`
	Sjukpenning                 []arende[sjukpenningBeslut]       `json:"sjukpenningarende,omitempty"`
	Underhallsstod              []arende[beslut]                  `json:"underhallsstodsmottag,omitempty"`
	Vardbidrag                  []arende[omfattningsbeslut]       `json:"vardbidragsarende,omitempty"`
	Utbetalningsuppgift         []utbetalningsuppgift             `json:"utbetalningsuppgift,omitempty"`
}

// personinformation is LefiPersoninformation, the part that matters here.
type personinformation struct {
	Personnummer string `json:"personnummer,omitempty"`
	Foddes       string `json:"foddes,omitempty"`
	Namn         string `json:"namn,omitempty"`
	Skyddad      *bool  `json:"skyddad,omitempty"`
}

// arende is the common shape of FK's Lefi*Arende types. Some kinds have no
// startades/aktivt/avslaget; those stay empty.
type arende[B any] struct {
	Startades string `json:"startades,omitempty"`
	Aktivt    *bool  `json:"aktivt,omitempty"`
	Avslaget  *bool  `json:"avslaget,omitempty"`
	Beslut    []B    `json:"beslut,omitempty"`
}

// beslut is the fields every FK Lefi*Beslut mapped here shares.
type beslut struct {
	Fattades             string       `json:"fattades,omitempty"`
	Definitivt           *bool        `json:"definitivt,omitempty"`
	Forman               *bokstavskod `json:"forman,omitempty"`
	Periodicitet         *sifferkod   `json:"periodicitet,omitempty"`
	Period               *franTill    `json:"period,omitempty"`
	BeslutatBruttobelopp *belopp      `json:"beslutatBruttobelopp,omitempty"`
}

// omfattningsbeslut is a beslut whose omfattning is a LefiOmfattning (in
// efterlevandepension it is a list, so that kind is read as a plain beslut).
type omfattningsbeslut struct {
	beslut
	Omfattning *omfattning `json:"omfattning,omitempty"`
}

// foraldrapenningBeslut is LefiForaldrapenningBeslut: its amounts are per day.
type foraldrapenningBeslut struct {
	omfattningsbeslut
	Dagar            *int64               `json:"dagar,omitempty"`
	Ersattning       *sifferkod           `json:"ersattning,omitempty"`
	Ersattningsdagar []foraldrapenningDag `json:"ersattningsdagar,omitempty"`
}

// foraldrapenningDag is LefiForaldrapenningErsattningsdag.
type foraldrapenningDag struct {
	Dag          string       `json:"dag,omitempty"`
	Niva         *bokstavskod `json:"niva,omitempty"`
	Bruttobelopp *belopp      `json:"bruttobelopp,omitempty"`
}

// programersattningBeslut is LefiProgramersattningBeslut: aktivitetsstöd,
// etableringsersättning or utvecklingsersättning within a labour-market programme.
type programersattningBeslut struct {
	beslut
	Ersattning       *bokstavskod           `json:"ersattning,omitempty"`
	Ersattningsdagar []programersattningDag `json:"ersattningsdagar,omitempty"`
}

// programersattningDag is LefiProgramersattningDag.
type programersattningDag struct {
	Dag        string       `json:"dag,omitempty"`
	Ersattning *bokstavskod `json:"ersattning,omitempty"`
	Belopp     *belopp      `json:"belopp,omitempty"`
}

// sjukpenningBeslut is LefiSjukpenningBeslut, with outcome and type as free text.
type sjukpenningBeslut struct {
	omfattningsbeslut
	Beslutsutfall    string           `json:"beslutsutfall,omitempty"`
	Beslutstyp       string           `json:"beslutstyp,omitempty"`
	Ersattningsdagar []sjukpenningDag `json:"ersattningsdagar,omitempty"`
}

// sjukpenningDag is LefiSjukpenningDag.
type sjukpenningDag struct {
	Ersattningsdatum  string  `json:"ersattningsdatum,omitempty"`
	Ersattningsbelopp *belopp `json:"ersattningsbelopp,omitempty"`
}

// utbetalningsuppgift is LefiUtbetalningUppgift: a payment. It is not mapped
// (decisions are), but the simulator writes one so that Radata is realistic.
type utbetalningsuppgift struct {
	Typ           *sifferkod   `json:"typ,omitempty"`
	Foretag       *sifferkod   `json:"foretag,omitempty"`
	Formansfamilj *bokstavskod `json:"formansfamilj,omitempty"`
	Datum         string       `json:"datum,omitempty"`
	Period        *franTill    `json:"period,omitempty"`
	Bruttobelopp  *belopp      `json:"bruttobelopp,omitempty"`
	Skattebelopp  *belopp      `json:"skattebelopp,omitempty"`
	Nettobelopp   *belopp      `json:"nettobelopp,omitempty"`
}

// sifferkod is LefiSifferkod.
type sifferkod struct {
	ID          int64  `json:"id"`
	Beskrivning string `json:"beskrivning,omitempty"`
}

// bokstavskod is LefiBokstavskod.
type bokstavskod struct {
	ID          string `json:"id,omitempty"`
	Beskrivning string `json:"beskrivning,omitempty"`
}

// franTill is LefiFranTill: dates that may lack the day ("2022-09"), and an
// open period that lacks one end.
type franTill struct {
	Fran string `json:"fran,omitempty"`
	Till string `json:"till,omitempty"`
}

// belopp is LefiBelopp: a sum that may have decimals, and its currency.
type belopp struct {
	Summa  float64 `json:"summa"`
	Valuta string  `json:"valuta,omitempty"`
}

// omfattning is LefiOmfattning, a fraction; 0/0 means not given.
type omfattning struct {
	Taljare int64 `json:"taljare"`
	Namnare int64 `json:"namnare"`
}

// pmAnsprak is LefiPmFormanAnsprak.
type pmAnsprak struct {
	Ansprakid    string          `json:"ansprakid,omitempty"`
	Ankomstdatum string          `json:"ankomstdatum,omitempty"`
	Formansgrupp *kodBeskrivning `json:"formansgrupp,omitempty"`
	YrkadPeriod  *period         `json:"yrkadPeriod,omitempty"`
}

// pmBeslut is LefiPmFormanBeslut.
type pmBeslut struct {
	Beslutsid          string          `json:"beslutsid,omitempty"`
	Beslutsdatum       string          `json:"beslutsdatum,omitempty"`
	Formansgrupp       *kodBeskrivning `json:"formansgrupp,omitempty"`
	Beslutsstatus      *kodBeskrivning `json:"beslutsstatus,omitempty"`
	Beslutsutfall      *kodBeskrivning `json:"beslutsutfall,omitempty"`
	BeslutadErsattning []pmErsattning  `json:"beslutadErsattning,omitempty"`
}

// pmErsattning is LefiPmFormanBeslutadErsattning.
type pmErsattning struct {
	BeslutatBelopp *pmBelopp       `json:"beslutatBelopp,omitempty"`
	Period         *period         `json:"period,omitempty"`
	Ersattningstyp *kodBeskrivning `json:"ersattningstyp,omitempty"`
	// Omfattning is a fraction between 0 and 1.
	Omfattning *float64 `json:"omfattning,omitempty"`
}

// pmBelopp is LefiPmFormanBeslutatBelopp: whole kronor per beloppsfrekvens.
type pmBelopp struct {
	Belopp          *int64          `json:"belopp,omitempty"`
	Beloppsfrekvens *kodBeskrivning `json:"beloppsfrekvens,omitempty"`
}
