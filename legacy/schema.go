package legacy

// The SSBTEK request contract as data: the content models of
// hamtaBastjanstInformation and testaBastjanstInformation in each supported
// version, as the XSDs under schema/ describe them. The decoder walks these
// models; the tests check that it accepts exactly what xmllint accepts with
// the real v10 XSD and with our v1 and v11 XSDs.

// Namespaces of the contract.
const (
	soapNS = "http://schemas.xmlsoap.org/soap/envelope/"
	xsiNS  = "http://www.w3.org/2001/XMLSchema-instance"
	xsdNS  = "http://www.w3.org/2001/XMLSchema"
	iipNS  = "http://www.idainfront.se/ns/iip/1.0"
	// fkNS holds the v1 FK formansforteckning elements.
	fkNS = "http://schema.forsakringskassan.se/extern_samverkan/hamtaformansinformation/1"
	// ssbtNSBase + version is each version's namespace.
	ssbtNSBase = "http://schema.forsakringskassan.se/integration/ssbt/"
)

// simpleType is the lexical type of an element with simple content.
type simpleType uint8

const (
	complexContent simpleType = iota
	xsString
	xsNonEmptyString
	xsOrganisationsnummer
	xsPersonidentitet
	xsBoolean
	xsDate
	xsDateTime
	xsShort
	xsAr
	xsBase64
)

// typeNames are the XSD names of the simple types, for xsi:type; inContract
// means the name is in the version's own namespace, else in XML Schema's.
var typeNames = [...]struct {
	inContract bool
	name       string
}{
	xsString:              {false, "string"},
	xsNonEmptyString:      {true, "NonEmptyString"},
	xsOrganisationsnummer: {true, "Organisationsnummer"},
	xsPersonidentitet:     {true, "Personidentitet"},
	xsBoolean:             {false, "boolean"},
	xsDate:                {false, "date"},
	xsDateTime:            {false, "dateTime"},
	xsShort:               {false, "short"},
	xsAr:                  {true, "Ar"},
	xsBase64:              {false, "base64Binary"},
}

const unbounded = -1

// elemDef is one element declaration.
type elemDef struct {
	name string
	typ  simpleType
	// typeName is the complex type's name, for xsi:type.
	typeName string
	min, max int
	// fk puts the element in fkNS instead of the version's namespace;
	// fkType does so for its complex type's name.
	fk, fkType bool
	// dflt is the default value of an empty element, if any.
	dflt string
	// inkludera: the element carries the required boolean attribute inkludera.
	inkludera bool
	// all: the children may come in any order, each at most once (xsd:all).
	all  bool
	kids []*elemDef
}

func leaf(name string, typ simpleType) *elemDef {
	return &elemDef{name: name, typ: typ, min: 1, max: 1}
}

func complexEl(name, typeName string, kids ...*elemDef) *elemDef {
	return &elemDef{name: name, typeName: typeName, min: 1, max: 1, kids: kids}
}

func optional(e *elemDef) *elemDef { e.min = 0; return e }

func many(e *elemDef, min int) *elemDef { e.min, e.max = min, unbounded; return e }

func agency(name, typeName string, kids ...*elemDef) *elemDef {
	e := complexEl(name, typeName, kids...)
	e.inkludera = true
	return e
}

// version is one version of the contract.
type version struct {
	// name is the version number as it ends the namespace: "1", "10", "11".
	name  string
	ns    string
	hamta *elemDef
	testa *elemDef
}

func tidsperiod() *elemDef {
	return complexEl("tidsperiod", "Tidsperiod", leaf("fromDatum", xsDate), leaf("tomDatum", xsDate))
}

func generellaFrageparametrar() *elemDef {
	svar := leaf("fraganSkallInkluderasISvaret", xsBoolean)
	svar.dflt = "0"
	return complexEl("generellaFrageparametrar", "GenerellaFrageparametrar",
		optional(leaf("frageTidpunkt", xsDateTime)),
		optional(leaf("korrelationsid", xsString)),
		svar,
		complexEl("ingivare", "Ingivare",
			leaf("organisationsnummer", xsOrganisationsnummer),
			leaf("namn", xsNonEmptyString),
			leaf("handlaggare", xsNonEmptyString)),
		leaf("personidentitet", xsPersonidentitet),
		leaf("arendeidentitet", xsNonEmptyString),
		tidsperiod(),
		many(complexEl("personuppgiftsbitrade", "Personuppgiftsbitrade",
			optional(leaf("ordningsnummer", xsShort)),
			leaf("organisationsnummer", xsOrganisationsnummer),
			leaf("namn", xsNonEmptyString)), 0),
		leaf("syfte", xsString),
		leaf("lagtext", xsString),
	)
}

// formansforteckning is v1's choice of FK benefits (seed 000 appendix).
var formansNamn = []string{
	"alderspension", "arbetsskadelivranta", "sjukOchAktivitetsersattning", "prognos",
	"tillfalligForaldrapenning", "sjukpenninggrundandeInkomst", "levnadsintyg", "sjukpenning",
	"foraldrapenning", "rehabersattning", "smittbararersattning", "havandeskapspenning",
	"narstaendepenning", "dagpenningTillTotalforsvarspliktiga", "aktivitetsstod", "barnbidrag",
	"bostadsbidrag", "bostadstillagg", "efterlevandepension", "handikappersattning",
	"underhallsstod", "utbetalning", "vardbidrag", "yrkesskadelivranta", "studiemedel",
	"intjanande", "forsakringstillhorighet",
}

func formansforteckning() *elemDef {
	e := optional(complexEl("formansforteckning", "Formansforteckning"))
	e.fkType, e.all = true, true
	for _, n := range formansNamn {
		k := optional(leaf(n, xsBoolean))
		k.fk = true
		e.kids = append(e.kids, k)
	}
	return e
}

func fkFraga() *elemDef {
	return optional(complexEl("fraga", "ForsakringskassanFraga",
		optional(leaf("version", xsString)),
		leaf("aktorsid", xsString),
		leaf("lefiJsonFraga", xsBase64)))
}

func skvFraga() *elemDef {
	return optional(complexEl("fraga", "SkatteverketFraga",
		many(leaf("ar", xsAr), 1),
		optional(leaf("foretagsinformation", xsBoolean)),
		optional(leaf("individuppgifter", xsBoolean)),
		optional(leaf("skattekonto", xsBoolean)),
		optional(leaf("skatteuppgifter", xsBoolean)),
		optional(leaf("beskattningsbilagor", xsBoolean))))
}

func newVersion(name string) *version {
	fk := agency("FK", "Forsakringskassan", fkFraga())
	skv := agency("SKV", "Skatteverket")
	tns := agency("TNS", "Transportstyrelsen", optional(tidsperiod()))
	miv := agency("MIV", "Migrationsverket")
	switch name {
	case "1":
		// v1 predates TNS and MIV; we take them when sent.
		fk.kids = []*elemDef{formansforteckning()}
		optional(tns)
		optional(miv)
	case "11":
		skv.kids = []*elemDef{skvFraga()}
	}
	specifika := complexEl("specifikaFrageparametrar", "SpecifikaFrageparametrar",
		agency("AF", "Arbetsformedlingen", optional(tidsperiod())),
		agency("CSN", "Csn", optional(tidsperiod())),
		fk,
		skv,
		agency("SO", "AkassornasSamorganisation", optional(tidsperiod())),
		tns,
		miv,
	)
	return &version{
		name:  name,
		ns:    ssbtNSBase + name,
		hamta: complexEl("hamtaBastjanstInformation", "SammansattBastjanstFraga", generellaFrageparametrar(), specifika),
		testa: complexEl("testaBastjanstInformation", "SammansattBastjanstTestFraga"),
	}
}

// versions are the supported contract versions, newest first.
var versions = []*version{newVersion("11"), newVersion("10"), newVersion("1")}

// versionByNS returns the version whose namespace is ns, or nil.
func versionByNS(ns []byte) *version {
	for _, v := range versions {
		if string(ns) == v.ns {
			return v
		}
	}
	return nil
}

// versionByName returns the version called name ("1", "10", "11"), or nil.
func versionByName(name string) *version {
	for _, v := range versions {
		if v.name == name {
			return v
		}
	}
	return nil
}

// kid returns def's child declaration called name, or nil.
func (e *elemDef) kid(name string) *elemDef {
	for _, k := range e.kids {
		if k.name == name {
			return k
		}
	}
	return nil
}
