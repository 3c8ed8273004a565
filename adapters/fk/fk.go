// Package fk is the adapter for Försäkringskassan and Pensionsmyndigheten
// (FK) through LEFI Online, the REST/JSON service "LEFI extern:
// Förmånsinformation" v9 (lefi-formansinformation-v9.openapi.yaml). It holds
// the client, the mapping of LEFI's answers and errors into
// Socialforsakringsformaner, a simulator for the test persons and the golden
// files.
//
// The question is POST {base}/lefi-extern-formansinformation/{version}/aktorer/{aktorsId}/formansinformation/fraga
// with a LefiExternFormansinformationFraga; the answer a
// LefiExternFormansinformationSvar, or a LefiFelsvar with HTTP 4xx/5xx.
package fk

import (
	"net/url"

	"github.com/ssbtek/gateway/adapters"
	"github.com/ssbtek/gateway/adapters/radata"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
)

const (
	// DefaultVersion is the LEFI version in the path when the question names none.
	DefaultVersion = "v9"

	mediaTypeJSON = "application/json"
	basePath      = "/lefi-extern-formansinformation/"
	fragaPath     = "/formansinformation/fraga"
	typerPath     = "/tillgangligaInformationstyper"
)

// Agency registers Försäkringskassan/Pensionsmyndigheten with the gateway.
func Agency() adapters.Agency {
	return adapters.Agency{
		Bastjanst:    ssbtekv1.Bastjanst_BASTJANST_FK,
		Name:         "fk",
		New:          New,
		NewSimulator: NewSimulator,
		SSBTEK:       SSBTEK,
	}
}

// aktorPath is the path of one actor's resources below a base URL.
func aktorPath(version, aktorsID string) string {
	return basePath + url.PathEscape(version) + "/aktorer/" + url.PathEscape(aktorsID)
}

// The codes of the contract's enums. They are functions, not package
// variables, so that no caller can change them.

// fkGrupper is LefiFkFormanGruppKod: Försäkringskassan's benefit groups.
func fkGrupper() []string {
	return []string{
		"FK:ABB", "FK:AP", "FK:AS", "FK:BOB", "FK:BST", "FK:BTI", "FK:DPE", "FK:EJO", "FK:ET",
		"FK:FP", "FK:FSJP", "FK:GP", "FK:HE", "FK:MABB", "FK:MEK", "FK:NP", "FK:OMV", "FK:PJOB",
		"FK:PROG", "FK:RBE", "FK:SA", "FK:SBP", "FK:SJP", "FK:TFP", "FK:US", "FK:VB", "FK:YL",
	}
}

// pmGrupper is LefiPmFormanGruppKod: Pensionsmyndigheten's benefit groups.
func pmGrupper() []string { return []string{"PM:AP", "PM:BTI", "PM:EF"} }

// externGrupper is LefiExternFormanGruppKod: both authorities' groups.
func externGrupper() []string { return append(fkGrupper(), pmGrupper()...) }

// ovrigaTyper is LefiExternOvrigInformationTypKod.
func ovrigaTyper() []string {
	return []string{"FK:GEPI", "FK:PANV", "FK:SGI", "FK:SKUP", "FK:STAV", "PM:LINT", "PM:PBH", "PM:PU"}
}

// gepi is the övrig-information type "generell personinformation", which
// carries the protected-identity flag.
const gepi = "FK:GEPI"

// The values of the small enums of the answer.
const (
	tillstandOK      = "OK"
	avvikelseInternt = "INTERNT_FEL"
)

func tillstandKoder() []string    { return []string{tillstandOK, "FELANDE", "OTILLGANGLIG"} }
func utlamnareKoder() []string    { return []string{"FK", "PM"} }
func avvikelseKoder() []string    { return []string{avvikelseInternt, "OBEHORIG"} }
func beslutStatusKoder() []string { return []string{"INTERIMISTISKT", "PRELIMINART", "SLUTLIGT"} }
func beslutUtfallKoder() []string { return []string{"BIFALL", "AVSLAG"} }
func frekvensKoder() []string {
	return []string{"AR", "HALVAR", "KVARTAL", "MANAD", "VECKA", "DAG", "ENGANGS"}
}

// SSBTEK is how the legacy SSBTEK answer carries FK's answer: LEFI's JSON answer base64-encoded in lefiJsonSvar (seed 000 §5.9).
var SSBTEK = radata.BodyBase64("lefiJsonSvar")
