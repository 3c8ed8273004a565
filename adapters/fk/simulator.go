package fk

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"github.com/ssbtek/gateway/adapters"
	"github.com/ssbtek/gateway/adapters/simkit"
)

// Simulator plays LEFI Online v9 for the test persons, at any path under its
// mount ending in the contract's paths:
//   - POST …/aktorer/{aktorsId}/formansinformation/fraga answers with what
//     the person has in the groups asked for (payloads.go): Tolvan,
//     Nyanland, Pensionar, Samordningsnummer and Skyddad (flagged skyddad
//     in generellPersoninformation when FK:GEPI is asked); Felperson gets a
//     LefiFelsvar with HTTP 500; Langsam the empty answer after
//     simkit.SlowDelay; anybody else the empty answer. A question that breaks
//     the contract gets LEFI's 400. It answers for the question's period:
//     decisions whose period touches it, payments made or planned in it
//     (payloads.go, inPeriod).
//     An actor simkit.UtanAvtal is refused with LEFI's 403 "Ej behörig".
//   - GET …/aktorer/{aktorsId}/tillgangligaInformationstyper lists the
//     groups the simulator knows, for any actor (Testa's ping).
type Simulator struct {
	simkit.Front
	// wrongShape makes every 200 answer valid JSON of the wrong shape, for
	// the 2003 test (JSON's equivalent of a wrong namespace).
	wrongShape atomic.Bool
	// now stamps LefiFelsvar; tests fix it for the golden files.
	now func() time.Time
}

// NewSimulator returns a simulator with no faults injected.
func NewSimulator() adapters.Simulator {
	s := &Simulator{now: time.Now}
	s.Answer(s.serve)
	return s
}

// SetWrongShape makes the simulator answer 200 with valid JSON that does not
// match the contract's schema (true), or with the right shape again (false).
func (s *Simulator) SetWrongShape(on bool) { s.wrongShape.Store(on) }

// The two operations of the contract.
const (
	opFraga = "fraga"
	opTyper = "typer"
)

// route finds the operation, version and actor in an escaped path such as
// /fk/lefi-extern-formansinformation/v9/aktorer/A/formansinformation/fraga,
// so that an actor's id may hold any character.
func route(path string) (op, version, aktorsID string, ok bool) {
	i := strings.Index(path, basePath)
	if i < 0 {
		return "", "", "", false
	}
	parts := strings.Split(path[i+len(basePath):], "/")
	switch {
	case len(parts) < 4 || parts[1] != "aktorer" || parts[2] == "":
		return "", "", "", false
	case len(parts) == 5 && parts[3]+"/"+parts[4] == strings.TrimPrefix(fragaPath, "/"):
		op = opFraga
	case len(parts) == 4 && "/"+parts[3] == typerPath:
		op = opTyper
	default:
		return "", "", "", false
	}
	version, err1 := url.PathUnescape(parts[0])
	aktorsID, err2 := url.PathUnescape(parts[2])
	if err1 != nil || err2 != nil {
		return "", "", "", false
	}
	return op, version, aktorsID, true
}

func (s *Simulator) serve(w http.ResponseWriter, r *http.Request) {
	op, version, aktorsID, ok := route(r.URL.EscapedPath())
	if !ok || version != DefaultVersion {
		http.NotFound(w, r)
		return
	}
	switch {
	case op == opTyper && r.Method == http.MethodGet:
		s.writeAnswer(w, tillgangliga())
	case op == opFraga && r.Method == http.MethodPost && aktorsID == simkit.UtanAvtal:
		// LEFI refuses an actor it does not know, before reading the question.
		s.writeFelsvar(w, http.StatusForbidden, obehorigMeddelande)
	case op == opFraga && r.Method == http.MethodPost:
		s.fraga(w, r)
	default:
		w.Header().Set("Allow", map[string]string{opTyper: http.MethodGet, opFraga: http.MethodPost}[op])
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
	}
}

func (s *Simulator) fraga(w http.ResponseWriter, r *http.Request) {
	raw, err := io.ReadAll(io.LimitReader(r.Body, simkit.MaxRequest))
	if err != nil {
		s.writeFelsvar(w, http.StatusBadRequest, "Frågan kunde inte läsas.")
		return
	}
	q, problem := readFraga(raw)
	if problem != "" {
		s.writeFelsvar(w, http.StatusBadRequest, problem)
		return
	}
	pnr := tolvSiffror(q.Personnummer)
	if !simkit.Delay(r.Context(), pnr) {
		return
	}
	if pnr == simkit.Felperson {
		s.writeFelsvar(w, http.StatusInternalServerError, felpersonMeddelande)
		return
	}
	s.writeAnswer(w, svarFor(pnr, q))
}

// tolvSiffror matches a 10-digit personnummer to the test person it can
// only mean; 12 digits stay as they are.
func tolvSiffror(pnr string) string {
	if len(pnr) != 10 {
		return pnr
	}
	for _, p := range []string{
		simkit.Tolvan, simkit.Jobbsokare, simkit.Skyddad, simkit.Nyanland, simkit.Student,
		simkit.Pensionar, simkit.Felperson, simkit.Langsam, simkit.Samordningsnummer,
	} {
		if p[2:] == pnr {
			return p
		}
	}
	return pnr
}

// writeAnswer writes a 200 answer, or under SetWrongShape one of the wrong shape.
func (s *Simulator) writeAnswer(w http.ResponseWriter, v any) {
	if s.wrongShape.Load() {
		v = wrongShape()
	}
	writeJSON(w, http.StatusOK, v)
}

// writeFelsvar answers with LEFI's error body.
func (s *Simulator) writeFelsvar(w http.ResponseWriter, status int, meddelande string) {
	writeJSON(w, status, felsvar{Meddelande: meddelande, Timestamp: s.now().UTC().Format(time.RFC3339)})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		// The simulator's own payloads always marshal; this is a bug here.
		http.Error(w, "simulator payload: "+err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", mediaTypeJSON)
	w.WriteHeader(status)
	w.Write(append(body, '\n'))
}
