package fk

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"

	"github.com/ssbtek/gateway/adapters"
	"github.com/ssbtek/gateway/adapters/httpcall"
	"github.com/ssbtek/gateway/bastjanst"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
)

const agency = ssbtekv1.Bastjanst_BASTJANST_FK

// adapter asks LEFI Online over HTTP/JSON.
type adapter struct {
	base string
	http httpcall.Client
	// operator is the organisationsnummer Testa uses as its aktörs-ID.
	operator string
}

// New returns the FK adapter for the LEFI base URL in cfg; API paths are
// appended to it.
func New(cfg adapters.Config) bastjanst.Adapter {
	return &adapter{base: strings.TrimRight(cfg.URL, "/"), http: cfg.HTTPClient(), operator: cfg.OperatorOrDefault()}
}

func (a *adapter) Bastjanst() ssbtekv1.Bastjanst { return agency }

// Hamta asks LEFI about fraga's person for period (nil means the period that
// applies to FK). A LEFI question given in fraga.fk is sent unchanged; else
// the adapter asks for every benefit group of both authorities.
func (a *adapter) Hamta(ctx context.Context, f *ssbtekv1.Fraga, period *ssbtekv1.Tidsperiod) (*ssbtekv1.BastjanstResultat, error) {
	if period == nil {
		period = bastjanst.PeriodFor(f, agency)
	}
	aktorsID := f.GetFk().GetAktorsid()
	if aktorsID == "" {
		aktorsID = f.GetOrganisationsnummer()
	}
	if aktorsID == "" {
		// LEFI authorises per actor: without one it cannot be asked at all.
		return nil, bastjanst.NotAuthorised(errors.New("asking FK: no LEFI aktörs-ID and no organisationsnummer"))
	}
	body := f.GetFk().GetLefiJsonFraga()
	if len(body) == 0 {
		var err error
		q := fragaFor(f.GetPersonidentitet(), period)
		if g := f.GetFk().GetGrupper(); len(g) > 0 {
			q = q.only(g)
		}
		if body, err = json.Marshal(q); err != nil {
			return nil, fmt.Errorf("asking FK: building the LEFI question: %w", err)
		}
	}
	url := a.base + aktorPath(versionOf(f), aktorsID) + fragaPath
	resp, err := a.http.Post(ctx, url, mediaTypeJSON, map[string]string{"Accept": mediaTypeJSON}, body)
	if err != nil {
		return nil, fmt.Errorf("asking FK: %w", err)
	}
	res, err := readAnswer(resp)
	if err != nil {
		return nil, fmt.Errorf("reading FK's answer: %w", err)
	}
	return res, nil
}

// versionOf is the LEFI version the question names, else DefaultVersion.
func versionOf(f *ssbtekv1.Fraga) string {
	if v := f.GetFk().GetVersion(); v != "" {
		return v
	}
	return DefaultVersion
}

// fragaFor is the question the adapter builds: every information type LEFI
// v9 offers, every benefit group as decisions, applications and payments
// made and planned, and every type of övrig information (the person
// information with the protected-identity flag among them). LEFI answers
// only what the actor may see and lists the rest as OBEHORIG avvikelser, so
// asking for all is safe.
func fragaFor(personnummer string, p *ssbtekv1.Tidsperiod) fraga {
	return fraga{
		Personnummer:             personnummer,
		Period:                   &period{From: p.GetFrom(), Tom: p.GetTom()},
		Formansinformation:       fkGrupper(),
		Ansprak:                  pmGrupper(),
		Beslut:                   pmGrupper(),
		PreliminaraUtbetalningar: externGrupper(),
		Utbetalningar:            externGrupper(),
		OvrigInformation:         ovrigaTyper(),
	}
}

// only narrows the question to the groups named (FkParametrar.grupper):
// LEFI answers only what it is asked, so only these are answered. The
// person information (FK:GEPI) is asked for whatever is named, since it
// carries the protected-identity flag every answer must honour.
func (q fraga) only(grupper []string) fraga {
	keep := func(all []string, extra ...string) []string {
		var out []string
		for _, g := range all {
			if slices.Contains(grupper, g) || slices.Contains(extra, g) {
				out = append(out, g)
			}
		}
		return out
	}
	q.Formansinformation = keep(q.Formansinformation)
	q.Ansprak = keep(q.Ansprak)
	q.Beslut = keep(q.Beslut)
	q.PreliminaraUtbetalningar = keep(q.PreliminaraUtbetalningar)
	q.Utbetalningar = keep(q.Utbetalningar)
	q.OvrigInformation = keep(q.OvrigInformation, gepi)
	return q
}

// readAnswer turns LEFI's HTTP answer into a result: 200 is an answer to map,
// an HTTP error with a LefiFelsvar is LEFI's own error (kalla BT), and
// anything else is a failure to get an answer.
func readAnswer(resp *httpcall.Response) (*ssbtekv1.BastjanstResultat, error) {
	status, raw := resp.Status, resp.Body
	switch {
	case status == http.StatusOK:
		return mapSvar(raw, resp.ContentType)
	case status >= http.StatusBadRequest:
		if fs, ok := parseFelsvar(raw); ok {
			felkod, text, rd := fmt.Sprintf("HTTP %d", status), scrub(fs.Meddelande), rawAnswer(raw, resp.ContentType)
			if status == http.StatusForbidden {
				// LEFI's "Ej behörig": the actor may not be represented by
				// the caller or is unknown to LEFI. A refusal to disclose,
				// in LEFI's words, not a failure to answer.
				return bastjanst.AgencyRefused(agency, felkod, text, rd), nil
			}
			return bastjanst.NativeError(agency, felkod, text, rd), nil
		}
		// Not LEFI speaking (a proxy, a load balancer, a crashed service).
		return nil, bastjanst.Unavailable(fmt.Errorf("without a LefiFelsvar: %w", &bastjanst.StatusError{Status: status}))
	default:
		return nil, bastjanst.Unreadable(fmt.Errorf("unexpected HTTP status %d", status))
	}
}

// parseFelsvar reads a LefiFelsvar; ok only for a JSON object with a message,
// since an error page of some other server is no answer from LEFI.
func parseFelsvar(raw []byte) (felsvar, bool) {
	var fs felsvar
	if !isObject(raw) || json.Unmarshal(raw, &fs) != nil || strings.TrimSpace(fs.Meddelande) == "" {
		return felsvar{}, false
	}
	return fs, true
}

// Testa asks LEFI which information types the gateway's operator may fetch
// (GET …/aktorer/{aktorsId}/tillgangligaInformationstyper), LEFI's cheapest
// read. LEFI is up when it answers 200 with a readable list and reports no
// utlämnare (FK, PM) in another state than OK. No case worker asks, so the
// aktörs-ID is the operator's organisationsnummer (adapters.Config.Operator),
// as Hamta's falls back to the ingivare's: an actor LEFI knows, where a
// made-up one would be refused (403) and report LEFI down while it is fine.
func (a *adapter) Testa(ctx context.Context) error {
	url := a.base + aktorPath(DefaultVersion, a.operator) + typerPath
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return bastjanst.Unavailable(fmt.Errorf("pinging FK: building request: %w", err))
	}
	req.Header.Set("Accept", mediaTypeJSON)
	resp, err := a.http.Do(ctx, req)
	if err != nil {
		return fmt.Errorf("pinging FK: %w", err)
	}
	status, raw := resp.Status, resp.Body
	if status != http.StatusOK {
		if fs, ok := parseFelsvar(raw); ok {
			return bastjanst.Unavailable(fmt.Errorf("pinging FK: HTTP %d: %s", status, scrub(fs.Meddelande)))
		}
		return bastjanst.Unavailable(fmt.Errorf("pinging FK: %w", &bastjanst.StatusError{Status: status}))
	}
	var typer tillgangligaTyper
	if !isObject(raw) {
		return bastjanst.Unreadable(errors.New("pinging FK: answer is not a JSON object"))
	}
	if err := json.Unmarshal(raw, &typer); err != nil {
		return bastjanst.Unreadable(fmt.Errorf("pinging FK: %w", err))
	}
	if err := checkUtlamnare(typer.Utlamnare); err != nil {
		return bastjanst.Unreadable(fmt.Errorf("pinging FK: %w", err))
	}
	if u, ok := felande(typer.Utlamnare); ok {
		return bastjanst.Unavailable(fmt.Errorf("pinging FK: %s is %s", u.Utlamnare.Kod, u.Tillstand.Kod))
	}
	return nil
}
