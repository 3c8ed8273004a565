package fk

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strings"
	"unicode/utf8"
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
	// PreliminaraUtbetalningar and Utbetalningar are PM's payments.
	PreliminaraUtbetalningar []pmUtbetalning `json:"preliminaraUtbetalningar,omitempty"`
	Utbetalningar            []pmUtbetalning `json:"utbetalningar,omitempty"`
	// OvrigInformation is PM's övrig information (LefiPmOvrigInformation),
	// typed generically (ovrig.go).
	OvrigInformation []json.RawMessage `json:"ovrigInformation,omitempty"`
}

// decodeSvar decodes LEFI's answer exactly as json.Unmarshal(raw, &s) does,
// errors included. It first reads raw in one pass with one decoder, each
// member straight into its field and formansinformation's members into
// theirs; json.Unmarshal would check all of raw before decoding it, and then
// scan formansinformation once more to hand it to its UnmarshalJSON. When
// that pass meets anything unusual, json.Unmarshal reads raw afresh and
// decides.
func decodeSvar(raw []byte) (svar, error) {
	var s svar
	if s.readOnce(raw) {
		return s, nil
	}
	s = svar{}
	err := json.Unmarshal(raw, &s)
	return s, err
}

// readOnce is decodeSvar's one pass: true only for a single JSON object,
// read in full.
func (s *svar) readOnce(raw []byte) bool {
	d := json.NewDecoder(bytes.NewReader(raw))
	d.UseNumber()
	if t, err := d.Token(); err != nil || t != json.Delim('{') {
		return false
	}
	ok := readObject(d, reflect.TypeFor[svar](), s.member, func(name string) bool {
		switch name {
		case "formansinformation":
			return s.readFormansinformation(d)
		case "avvikelser":
			return s.readAvvikelser(d)
		}
		// A member the contract may add: json.Unmarshal skips it too.
		return d.Decode(&ignored{}) == nil
	})
	if !ok {
		return false
	}
	// Nothing but space may follow the object.
	_, err := d.Token()
	return err == io.EOF
}

// readFormansinformation reads formansinformation's members straight into
// their fields, where json.Unmarshal would first scan the object to hand
// it to its UnmarshalJSON.
func (s *svar) readFormansinformation(d *json.Decoder) bool {
	t, err := d.Token()
	switch {
	case err != nil || s.Formansinformation != nil:
		// A second formansinformation is decoded into the first.
		return false
	case t == nil:
		return true // null leaves it absent
	case t != json.Delim('{'):
		return false
	}
	s.Formansinformation = &formansinformation{}
	return s.Formansinformation.readMembers(d)
}

// readAvvikelser reads avvikelser as its UnmarshalJSON does, the object's
// members straight into their fields: LEFI lists every group the actor may
// not see there, which makes it long.
func (s *svar) readAvvikelser(d *json.Decoder) bool {
	t, err := d.Token()
	switch {
	case err != nil || s.Avvikelser != nil:
		return false
	case t == nil:
		return true
	case t == json.Delim('['):
		// Only the empty array; anything else is UnmarshalJSON's error.
		t, err := d.Token()
		s.Avvikelser = &avvikelser{}
		return err == nil && t == json.Delim(']')
	case t != json.Delim('{'):
		return false
	}
	a := &avvikelser{}
	s.Avvikelser = a
	return readObject(d, reflect.TypeFor[avvikelser](), a.member, func(string) bool {
		return d.Decode(&ignored{}) == nil
	})
}

// member is the field that the member name decodes into, nil for a member
// without one; formansinformation and avvikelser are read by readOnce itself.
// TestMemberCoversEveryField holds it to the struct tags.
func (s *svar) member(name string) any {
	switch name {
	case "utlamnare":
		return &s.Utlamnare
	case "ansprak":
		return &s.Ansprak
	case "beslut":
		return &s.Beslut
	case "preliminaraUtbetalningar":
		return &s.PreliminaraUtbetalningar
	case "utbetalningar":
		return &s.Utbetalningar
	case "ovrigInformation":
		return &s.OvrigInformation
	}
	return nil
}

// ignored reads any JSON value and keeps nothing of it.
type ignored struct{}

func (*ignored) UnmarshalJSON([]byte) error { return nil }

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

// member is the field that the member name decodes into, nil for a member
// without one. TestMemberCoversEveryField holds it to the struct tags.
func (a *avvikelser) member(name string) any {
	switch name {
	case "formansinformation":
		return &a.Formansinformation
	case "ansprak":
		return &a.Ansprak
	case "beslut":
		return &a.Beslut
	case "preliminaraUtbetalningar":
		return &a.PreliminaraUtbetalningar
	case "utbetalningar":
		return &a.Utbetalningar
	case "ovrigInformation":
		return &a.OvrigInformation
	}
	return nil
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
	Preliminarautbetalningar    []utbetalningsuppgift             `json:"preliminarautbetalningar,omitempty"`
	// Ovrigt holds the lists of every other kind LEFI sends
	// (programanvisning, sjukpenninggrundandeInkomstuppgift, ...), by their
	// member name, for the generic övrig information (ovrig.go). The decoder
	// fills it; the simulator writes it as members of its own.
	Ovrigt map[string][]map[string]any `json:"-"`
}

// UnmarshalJSON reads the known members into their fields and every other
// list member into Ovrigt. It is the reference reading (decodeTwice):
// decodeSvar reads this object in its own pass (readMembers) and comes here,
// through json.Unmarshal, only when that pass met something unusual.
func (fi *formansinformation) UnmarshalJSON(b []byte) error {
	return fi.decodeTwice(b)
}

// readMembers decodes the members of the object d has just opened, up to
// and including its end, each straight into its field or, unknown, into
// Ovrigt; false when decodeTwice must decide instead. d uses numbers, as
// Ovrigt's values must; the known fields hold no any.
func (fi *formansinformation) readMembers(d *json.Decoder) bool {
	return readObject(d, reflect.TypeFor[formansinformation](), fi.member, func(name string) bool {
		var list []map[string]any
		if d.Decode(&list) != nil {
			return false
		}
		if fi.Ovrigt == nil {
			fi.Ovrigt = map[string][]map[string]any{}
		}
		fi.Ovrigt[name] = list
		return true
	})
}

// readObject reads the members of the object d has just opened, and its
// end: a member that field names is decoded into that field, any other is
// left to unknown, which must read its value. false as soon as a member
// cannot be read so, or when its name might match one of t's fields
// without being its exact name: encoding/json also matches
// case-insensitively, and only the reference reading gets that right.
func readObject(d *json.Decoder, t reflect.Type, field func(name string) any, unknown func(name string) bool) bool {
	for d.More() {
		tok, err := d.Token()
		if err != nil {
			return false
		}
		name, _ := tok.(string)
		if f := field(name); f != nil {
			if d.Decode(f) != nil {
				return false
			}
			continue
		}
		if foldsToField(t, name) || !unknown(name) {
			return false
		}
	}
	tok, err := d.Token()
	return err == nil && tok == json.Delim('}')
}

// decodeTwice is the plain reading: the known members as encoding/json
// decodes the struct, then every member once more by name for the unknown ones.
func (fi *formansinformation) decodeTwice(b []byte) error {
	type plain formansinformation
	if err := json.Unmarshal(b, (*plain)(fi)); err != nil {
		return err
	}
	var all map[string]json.RawMessage
	if err := json.Unmarshal(b, &all); err != nil {
		return err
	}
	for name, raw := range all {
		if knownMember(name) {
			continue
		}
		var list []map[string]any
		d := json.NewDecoder(bytes.NewReader(raw))
		d.UseNumber()
		if err := d.Decode(&list); err != nil {
			return fmt.Errorf("formansinformation.%s is not a list of objects", name)
		}
		if fi.Ovrigt == nil {
			fi.Ovrigt = map[string][]map[string]any{}
		}
		fi.Ovrigt[name] = list
	}
	return nil
}

// member is the field that the member name decodes into, nil for a member
// without one. TestMemberCoversEveryField holds it to the struct tags.
func (fi *formansinformation) member(name string) any {
	switch name {
	case "generellPersoninformation":
		return &fi.GenerellPersoninformation
	case "aktivitetsstodsarende":
		return &fi.Aktivitetsstod
	case "allmanpensionsarende":
		return &fi.Allmanpension
	case "barnbidragsarende":
		return &fi.Barnbidrag
	case "bostadsbidragsarende":
		return &fi.Bostadsbidrag
	case "bostadstillaggsarende":
		return &fi.Bostadstillagg
	case "efterlevandepensionsarende":
		return &fi.Efterlevandepension
	case "foraldrapenningarende":
		return &fi.Foraldrapenning
	case "handikappersattningsarende":
		return &fi.Handikappersattning
	case "programersattningsarende":
		return &fi.Programersattning
	case "sjukOchAktivitetsersattningsarende":
		return &fi.SjukOchAktivitetsersattning
	case "sjukpenningarende":
		return &fi.Sjukpenning
	case "underhallsstodsmottag":
		return &fi.Underhallsstod
	case "vardbidragsarende":
		return &fi.Vardbidrag
	case "utbetalningsuppgift":
		return &fi.Utbetalningsuppgift
	case "preliminarautbetalningar":
		return &fi.Preliminarautbetalningar
	}
	return nil
}

// foldsToField reports whether encoding/json might decode member name into
// one of t's fields other than the one with exactly that name: it also
// matches names case-insensitively, with Unicode's folding beyond ASCII.
func foldsToField(t reflect.Type, name string) bool {
	for i := range len(name) {
		if name[i] >= utf8.RuneSelf {
			return true
		}
	}
	for i := range t.NumField() {
		if tag, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ","); tag != "-" && tag != name && strings.EqualFold(tag, name) {
			return true
		}
	}
	return false
}

// MarshalJSON writes the known members and Ovrigt's lists beside them.
func (fi formansinformation) MarshalJSON() ([]byte, error) {
	type plain formansinformation
	b, err := json.Marshal(plain(fi))
	if err != nil || len(fi.Ovrigt) == 0 {
		return b, err
	}
	var all map[string]any
	if err := json.Unmarshal(b, &all); err != nil {
		return nil, err
	}
	for name, list := range fi.Ovrigt {
		all[name] = list
	}
	return json.Marshal(all)
}

// knownMember reports whether formansinformation has a field for a member.
func knownMember(name string) bool {
	t := reflect.TypeFor[formansinformation]()
	for i := range t.NumField() {
		if tag, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ","); tag == name {
			return true
		}
	}
	return false
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
	Delforman            *bokstavskod `json:"delforman,omitempty"`
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

// utbetalningsuppgift is LefiUtbetalningUppgift: an FK payment, made or
// planned. Its avdragsbelopp includes the tax.
type utbetalningsuppgift struct {
	Typ                *sifferkod           `json:"typ,omitempty"`
	Foretag            *sifferkod           `json:"foretag,omitempty"`
	Formansfamilj      *bokstavskod         `json:"formansfamilj,omitempty"`
	Datum              string               `json:"datum,omitempty"`
	Period             *franTill            `json:"period,omitempty"`
	Bruttobelopp       *belopp              `json:"bruttobelopp,omitempty"`
	Skattebelopp       *belopp              `json:"skattebelopp,omitempty"`
	Avdragsbelopp      *belopp              `json:"avdragsbelopp,omitempty"`
	Nettobelopp        *belopp              `json:"nettobelopp,omitempty"`
	Utbetalningsdetalj []utbetalningsdetalj `json:"utbetalningsdetalj,omitempty"`
}

// utbetalningsdetalj is LefiUtbetalningDetalj: one line of a payment, an
// ersättning (bruttobelopp), a tax (skattebelopp) or another deduction (avdragsbelopp).
type utbetalningsdetalj struct {
	Forman        *bokstavskod `json:"forman,omitempty"`
	Period        *franTill    `json:"period,omitempty"`
	Beloppstyp    *bokstavskod `json:"beloppstyp,omitempty"`
	Omfattning    *omfattning  `json:"omfattning,omitempty"`
	Dagar         *int64       `json:"dagar,omitempty"`
	Timmar        *int64       `json:"timmar,omitempty"`
	Bruttobelopp  *belopp      `json:"bruttobelopp,omitempty"`
	Skattebelopp  *belopp      `json:"skattebelopp,omitempty"`
	Avdragsbelopp *belopp      `json:"avdragsbelopp,omitempty"`
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

// belopp is LefiBelopp: a sum that may have decimals, and its currency. The
// sum is kept as the number's text, so that it is read exactly (adapters.Hundredths).
type belopp struct {
	Summa  number `json:"summa"`
	Valuta string `json:"valuta,omitempty"`
}

// number is a JSON number kept as its text. Unlike json.Number it refuses a
// string holding digits: the contract's type is number.
type number json.Number

// String is the number as written.
func (n number) String() string { return string(n) }

// UnmarshalJSON accepts a JSON number only.
func (n *number) UnmarshalJSON(b []byte) error {
	t := bytes.TrimSpace(b)
	if len(t) > 0 && (t[0] == '-' || '0' <= t[0] && t[0] <= '9') {
		// The decoder hands over one value it has checked already, and only
		// a number starts so: decoding it again would only check it again.
		*n = number(t)
		return nil
	}
	var v json.Number
	if len(t) == 0 || t[0] == '"' {
		return errors.New("not a JSON number")
	}
	if err := json.Unmarshal(t, &v); err != nil {
		return err
	}
	*n = number(v)
	return nil
}

// MarshalJSON writes the number as it is.
func (n number) MarshalJSON() ([]byte, error) { return json.Marshal(json.Number(n)) }

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
	// Omfattning is a fraction between 0 and 1, as the number's text.
	Omfattning *number `json:"omfattning,omitempty"`
}

// pmUtbetalning is LefiPmFormanUtbetalning: a PM payment in whole kronor.
type pmUtbetalning struct {
	Utbetalningsdatum  string         `json:"utbetalningsdatum,omitempty"`
	Utbetalningsperiod *period        `json:"utbetalningsperiod,omitempty"`
	Bruttobelopp       *int64         `json:"bruttobelopp,omitempty"`
	Nettobelopp        *int64         `json:"nettobelopp,omitempty"`
	Avdrag             []pmAvdrag     `json:"avdrag,omitempty"`
	Utbetalningsrader  []pmUtbetalRad `json:"utbetalningsrader,omitempty"`
}

// pmAvdrag is LefiPmFormanUtbetalningAvdrag.
type pmAvdrag struct {
	Belopp     *int64          `json:"belopp,omitempty"`
	Avdragstyp *kodBeskrivning `json:"avdragstyp,omitempty"`
}

// pmUtbetalRad is LefiPmFormanUtbetalningRad.
type pmUtbetalRad struct {
	Formansgrupp       *kodBeskrivning `json:"formansgrupp,omitempty"`
	Belopp             *int64          `json:"belopp,omitempty"`
	Utbetalningsforman *kodBeskrivning `json:"utbetalningsforman,omitempty"`
	Beloppstyp         *kodBeskrivning `json:"beloppstyp,omitempty"`
}

// pmBelopp is LefiPmFormanBeslutatBelopp: whole kronor per beloppsfrekvens.
type pmBelopp struct {
	Belopp          *int64          `json:"belopp,omitempty"`
	Beloppsfrekvens *kodBeskrivning `json:"beloppsfrekvens,omitempty"`
}
