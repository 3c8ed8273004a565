package skv

import (
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/ssbtek/gateway/adapters/simkit"
)

// The simulator's JSON interface. Every part is answered for every test
// person: with data, with 404 "Not found" when Skatteverket has nothing in
// that part, or with a technical error of the part:
//
//	person     foretags-  individ-   skatte-   skatte-    beskattnings-
//	           information uppgifter  konto     uppgifter  bilagor
//	Tolvan     data       data       data      data       data
//	Skyddad    404        data       data      data       503 (BB-503)
//	Felperson  500 (9071205) in every part
//	Langsam    404 in every part, after simkit.SlowDelay
//	others     404 in every part (the ping's identity too)
//
// The year-bound parts (individuppgifter, skatteuppgifter,
// beskattningsbilagor) answer for the income years asked and are 404 when
// none of those has data; skattekonto names the latest payout whose
// bokföringsdag lies in the period asked (none: no payout named). A
// question that breaks the design is 400.

// Texts and codes of the parts' errors.
const (
	ejHittadKod   = "404"
	ejHittadText  = "Not found"
	bilagorKod    = "BB-503"
	bilagorText   = "Tjänsten för beskattningsbilagor är tillfälligt otillgänglig"
	ogiltigKod    = "400"
	skattekontoTS = "2026-11-20T06:00:00"
)

// delRoute finds the part in an escaped path such as
// /skv/beskattning-ekonomiskt-bistand/v1/aktorer/A/skattekonto/fraga.
func delRoute(path string) (string, bool) {
	i := strings.Index(path, jsonBasePath)
	if i < 0 {
		return "", false
	}
	parts := strings.Split(path[i+len(jsonBasePath):], "/")
	if len(parts) != 5 || parts[0] != jsonVersion || parts[1] != "aktorer" || parts[2] == "" || "/"+parts[4] != fragaSuffix {
		return "", false
	}
	for _, d := range delar {
		if parts[3] == d {
			return d, true
		}
	}
	return "", false
}

var tolvSiffror = regexp.MustCompile(`^[0-9]{12}$`)

// serveDel answers one part's question.
func serveDel(w http.ResponseWriter, r *http.Request, del string) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	raw, err := io.ReadAll(io.LimitReader(r.Body, simkit.MaxRequest))
	var q delFraga
	if err == nil {
		err = json.Unmarshal(raw, &q)
	}
	switch {
	case err != nil:
		writeDelFel(w, http.StatusBadRequest, ogiltigKod, "Frågan kunde inte tolkas")
		return
	case !tolvSiffror.MatchString(q.Personnummer) || q.Arendeidentitet == "" || q.Handlaggare == "":
		writeDelFel(w, http.StatusBadRequest, ogiltigKod, "Frågan saknar personnummer, ärende eller handläggare")
		return
	}
	if !simkit.Delay(r.Context(), q.Personnummer) {
		return
	}
	if q.Personnummer == simkit.Felperson {
		writeDelFel(w, http.StatusInternalServerError, felpersonKod, felpersonText)
		return
	}
	if q.Personnummer == simkit.Skyddad && del == delBeskattningsbilagor {
		writeDelFel(w, http.StatusServiceUnavailable, bilagorKod, bilagorText)
		return
	}
	body := delData(q, del)
	if body == nil {
		writeDelFel(w, http.StatusNotFound, ejHittadKod, ejHittadText)
		return
	}
	writeDelJSON(w, http.StatusOK, body)
}

// writeDelFel answers with the interface's error answer.
func writeDelFel(w http.ResponseWriter, status int, kod, text string) {
	writeDelJSON(w, status, delFelsvar{Felkod: kod, Meddelande: text, Timestamp: time.Now().UTC().Format(time.RFC3339)})
}

func writeDelJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil { // the simulator's own types always marshal
		http.Error(w, "simulator: "+err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", mediaTypeJSON)
	w.WriteHeader(status)
	w.Write(b)
}

// simForetag is the business the simulated persons run: Tolvan's sole
// trader firm, approved for F-skatt and VAT, without employees.
var simForetag = map[string]foretagJSON{
	simkit.Tolvan: {ForetagID: "5591234567", GodkandFskatt: true, Momsregistrerad: true},
}

// simTjanst is the överskott av tjänst of a taxering, by person and
// taxeringsår (the SOAP answer has no such figure).
var simTjanst = map[string]map[int]int64{
	simkit.Tolvan:  {2024: 301200, 2025: 315800, 2026: 329100},
	simkit.Skyddad: {2025: 244300},
}

// simBilagor are the attachments of the simulated persons' tax returns,
// by income year.
var simBilagor = map[string][]bilagaJSON{
	simkit.Tolvan: {
		{Inkomstar: 2023, Blankett: "NE", Benamning: "Näringsverksamhet, enskild näringsidkare", Statuskod: "FASTSTALLD", Belopp: []beloppJSON{
			{Ruta: "R1", Benamning: "Försäljning med moms", Varde: "98400"}, {Ruta: "R47", Benamning: "Överskott av näringsverksamhet", Varde: "35100"}}},
		{Inkomstar: 2024, Blankett: "NE", Benamning: "Näringsverksamhet, enskild näringsidkare", Statuskod: "FASTSTALLD", Belopp: []beloppJSON{
			{Ruta: "R1", Benamning: "Försäljning med moms", Varde: "112650"}, {Ruta: "R47", Benamning: "Överskott av näringsverksamhet", Varde: "41870"}}},
		{Inkomstar: 2025, Blankett: "NE", Benamning: "Näringsverksamhet, enskild näringsidkare", Statuskod: "FASTSTALLD", Belopp: []beloppJSON{
			{Ruta: "R1", Benamning: "Försäljning med moms", Varde: "126300"}, {Ruta: "R47", Benamning: "Överskott av näringsverksamhet", Varde: "48215"}}},
		{Inkomstar: 2025, Blankett: "K4", Benamning: "Försäljning av värdepapper", Statuskod: "INKOMMEN", Belopp: []beloppJSON{
			{Ruta: "7.4", Benamning: "Vinst, marknadsnoterade aktier", Varde: "3275"}}},
	},
}

// simSaldo is the tax account's balance and preliminary interest, kronor.
var simSaldo = map[string][2]int64{
	simkit.Tolvan:  {312, 3},
	simkit.Skyddad: {-1450, -12},
}

// delData is part del's answer to q, nil when Skatteverket has nothing in it.
func delData(q delFraga, del string) any {
	pnr := q.Personnummer
	p, ok := personFor(pnr)
	if !ok {
		return nil
	}
	years := p.inkomstar(q.Ar)
	switch del {
	case delForetagsinformation:
		f, ok := simForetag[pnr]
		if !ok {
			return nil
		}
		return foretagsinformationJSON{Foretag: &f}
	case delSkattekonto:
		saldo := simSaldo[pnr]
		k := skattekontoJSON{Kontohavare: pnr, Saldo: &saldo[0], PreliminarRanta: &saldo[1],
			Utbetalningskonto: "Kontoregistret (bankkonto anmält)", SenastUppdaterad: skattekontoTS}
		// The latest payout in the period: taxeringar run oldest first.
		for _, t := range p.taxeringar {
			if d, err := datum(t.bokforingsdag); err == nil && q.inPeriod(d) {
				k.UtbetaltBelopp, k.Bokforingsdag = &t.utbetalt, d
			}
		}
		return k
	case delSkatteuppgifter:
		var out []beslutadJSON
		for _, t := range years {
			dag, _ := datum(t.taxeringsdatum)
			ink := t.ar - 1
			out = append(out, beslutadJSON{
				Beskattningsar: int32(ink), Beskattningsperiod: strconv.Itoa(ink) + "P4", DatumFaststalld: dag,
				Uppgifter: uppgifterJSON{Inkomstar: strconv.Itoa(ink), OverskottAvTjanst: kronor(simTjanst[pnr][t.ar]),
					SumKapital: kronor(t.overskott), FastStalldinkomst: kronor(t.taxeradInkomst), SummaSlutligSkatt: kronor(t.slutligSkatt)},
			})
		}
		if len(out) == 0 {
			return nil
		}
		return skatteuppgifterJSON{Identitet: pnr, BeslutadeSkatteuppgifter: out}
	case delIndividuppgifter:
		var out []individArJSON
		for _, t := range years {
			out = append(out, individArJSON{Inkomstar: int32(t.ar - 1), Taxeringsar: int32(t.ar),
				SummaIntakterKapital: kronor(t.summaIntakter), OverskottKapital: kronor(t.overskott), Statuskod: "FASTSTALLD"})
		}
		if len(out) == 0 {
			return nil
		}
		return individuppgifterJSON{Identitet: pnr, Statuskod: "OK", Ar: out}
	case delBeskattningsbilagor:
		var out []bilagaJSON
		for _, b := range simBilagor[pnr] {
			if asked(q.Ar, int(b.Inkomstar)) {
				out = append(out, b)
			}
		}
		if len(out) == 0 {
			return nil
		}
		return beskattningsbilagorJSON{Identitet: pnr, Statuskod: "OK", Bilagor: out}
	}
	return nil
}

// inkomstar returns the taxeringar of the income years asked (a taxering
// is of the year after its income year); none asked means every one.
func (p person) inkomstar(ar []int32) []taxering {
	var out []taxering
	for _, t := range p.taxeringar {
		if asked(ar, t.ar-1) {
			out = append(out, t)
		}
	}
	return out
}

// asked reports whether income year y is among ar; an empty ar asks all.
func asked(ar []int32, y int) bool {
	if len(ar) == 0 {
		return true
	}
	for _, a := range ar {
		if int(a) == y {
			return true
		}
	}
	return false
}

// inPeriod reports whether the YYYY-MM-DD day lies in q's tidsperiod; any
// day does when q gives none.
func (q delFraga) inPeriod(day string) bool {
	if q.Tidsperiod == nil {
		return true
	}
	return day >= q.Tidsperiod.From && day <= q.Tidsperiod.Tom
}
