package legacy

// A v1-v9 question names the FK benefits it wants in formansforteckning
// (one boolean per benefit); LEFI v9, which the FK adapter asks, names them
// by group code. lefiGrupper is the one translation: each benefit of the
// old list to the LEFI groups (benefit groups and types of övrig
// information) that now carry it, Försäkringskassan's and, where the
// benefit moved there, Pensionsmyndigheten's. A benefit LEFI v9 no longer
// has a group for (prognos, levnadsintyg, and försäkringstillhörighet,
// which LEFI v4 removed, seed 002) asks for nothing.
var lefiGrupper = map[string][]string{
	"alderspension":                       {"FK:AP", "PM:AP"},
	"arbetsskadelivranta":                 {"FK:YL"},
	"sjukOchAktivitetsersattning":         {"FK:SA"},
	"prognos":                             nil,
	"tillfalligForaldrapenning":           {"FK:TFP"},
	"sjukpenninggrundandeInkomst":         {"FK:SGI"},
	"levnadsintyg":                        nil,
	"sjukpenning":                         {"FK:SJP", "FK:FSJP"},
	"foraldrapenning":                     {"FK:FP"},
	"rehabersattning":                     {"FK:RBE"},
	"smittbararersattning":                {"FK:SBP"},
	"havandeskapspenning":                 {"FK:GP"},
	"narstaendepenning":                   {"FK:NP"},
	"dagpenningTillTotalforsvarspliktiga": {"FK:DPE"},
	"aktivitetsstod":                      {"FK:AS", "FK:PROG"},
	"barnbidrag":                          {"FK:ABB", "FK:MABB"},
	"bostadsbidrag":                       {"FK:BOB"},
	"bostadstillagg":                      {"FK:BST", "FK:BTI", "PM:BTI"},
	"efterlevandepension":                 {"PM:EF", "FK:EJO"},
	"handikappersattning":                 {"FK:HE", "FK:MEK"},
	"underhallsstod":                      {"FK:US"},
	"utbetalning":                         nil,
	"vardbidrag":                          {"FK:VB", "FK:OMV"},
	"yrkesskadelivranta":                  {"FK:YL"},
	"studiemedel":                         {"FK:STAV"},
	"intjanande":                          {"PM:LINT", "PM:PBH"},
	"forsakringstillhorighet":             nil,
}

// formansGrupper returns the LEFI groups a formansforteckning asks for, in
// the order of the list, each once. The result is never empty for a list
// (noGroup stands in when nothing it names has a group), since an empty
// list would ask LEFI for everything.
func formansGrupper(ff *node) []string {
	var out []string
	seen := map[string]bool{}
	for _, c := range ff.elements() {
		if v, _ := parseBoolean(c.value); !v {
			continue
		}
		for _, g := range lefiGrupper[c.def.name] {
			if !seen[g] {
				seen[g] = true
				out = append(out, g)
			}
		}
	}
	if len(out) == 0 {
		out = []string{noGroup}
	}
	return out
}

// noGroup is what a formansforteckning that names no benefit LEFI has asks
// for: the person information alone (FK:GEPI, which the adapter always
// asks, for the protected-identity flag).
const noGroup = "FK:GEPI"
