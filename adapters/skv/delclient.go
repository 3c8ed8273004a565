package skv

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"github.com/ssbtek/gateway/adapters"
	"github.com/ssbtek/gateway/adapters/httpcall"
	"github.com/ssbtek/gateway/adapters/radata"
	"github.com/ssbtek/gateway/bastjanst"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
	"github.com/ssbtek/gateway/redact"
)

// DelEmbedding is how SSBTEK v11 carries each part: the part's HTTP body,
// Skatteverket's JSON, base64-encoded as the text of data.
var DelEmbedding = radata.BodyBase64("data")

// delarClient asks Skatteverket's JSON interface, one call per part.
type delarClient struct {
	base string
	hc   *http.Client
	// maxBody bounds the parts' answers together: a question's parts share
	// the one answer limit an agency has, so asking in parts reads no more
	// than asking once.
	maxBody int64
}

// delURL is part del's question path for the actor aktorsID.
func (c delarClient) delURL(aktorsID, del string) string {
	return c.base + jsonBasePath + jsonVersion + "/aktorer/" + url.PathEscape(aktorsID) + "/" + del + fragaSuffix
}

// ask sends one part's question of n asked together.
func (c delarClient) ask(ctx context.Context, aktorsID, del string, body []byte, n int) (*httpcall.Response, error) {
	limit := c.maxBody
	if limit <= 0 {
		limit = httpcall.DefaultMaxBody
	}
	client := httpcall.New(c.hc, limit/int64(max(n, 1)))
	return client.Post(ctx, c.delURL(aktorsID, del), mediaTypeJSON, map[string]string{"Accept": mediaTypeJSON}, body)
}

// hamta asks every part f asks for, at once, and compiles the answer: one
// Delsvar per part in answer order. It fails only when no part got an
// answer from Skatteverket at all (the first part's failure says why).
func (c delarClient) hamta(ctx context.Context, f *ssbtekv1.Fraga, p *ssbtekv1.Tidsperiod) (*ssbtekv1.BastjanstResultat, error) {
	q := delFraga{
		Personnummer:    f.GetPersonidentitet(),
		Ar:              yearsFor(f, p),
		Arendeidentitet: f.GetArendeidentitet(),
		Handlaggare:     f.GetHandlaggare(),
		Syfte:           f.GetSyfte(),
		Lagtext:         f.GetLagtext(),
		Ombud:           f.GetOmbud(),
		Korrelationsid:  f.GetKorrelationsid(),
	}
	if p != nil {
		q.Tidsperiod = &tidsperiod{From: p.GetFrom(), Tom: p.GetTom()}
	}
	body, err := json.Marshal(q)
	if err != nil {
		return nil, fmt.Errorf("asking SKV: building the question: %w", err)
	}
	dels := delarFor(f)
	type outcome struct {
		resp *httpcall.Response
		err  error
	}
	out := make([]outcome, len(dels))
	var wg sync.WaitGroup
	for i, del := range dels {
		wg.Go(func() {
			resp, err := c.ask(ctx, f.GetOrganisationsnummer(), del, body, len(dels))
			out[i] = outcome{resp, err}
		})
	}
	wg.Wait()

	res := &ssbtekv1.BastjanstResultat{Bastjanst: bastjanstSKV}
	content := &ssbtekv1.Beskattning{}
	var firstErr error
	var firstBT *ssbtekv1.Fel
	answered, found, data := false, false, false
	for i, del := range dels {
		err := out[i].err
		var ds *ssbtekv1.Delsvar
		if err == nil {
			ds, err = readDel(content, del, out[i].resp, f.GetPersonidentitet())
		}
		if err != nil {
			firstErr = cmpErr(firstErr, fmt.Errorf("asking SKV for %s: %w", del, err))
			fel := bastjanst.FelFor(err)
			ds = &ssbtekv1.Delsvar{Namn: del, Status: &ssbtekv1.Status{Kod: ssbtekv1.StatusKod_STATUS_KOD_ANNATFEL, Meddelande: fel.GetFelmeddelande()}, Fel: fel}
		}
		switch ds.GetStatus().GetKod() {
		case ssbtekv1.StatusKod_STATUS_KOD_OK:
			answered, found, data = true, true, true
		case ssbtekv1.StatusKod_STATUS_KOD_UPPGIFTSAKNAS:
			answered, found = true, true
		default:
			if ds.GetFel().GetKalla() == ssbtekv1.Kalla_KALLA_BT {
				answered = true
				if firstBT == nil {
					firstBT = ds.GetFel()
				}
			}
		}
		res.Delsvar = append(res.Delsvar, ds)
	}
	switch {
	case !answered:
		return nil, firstErr
	case !found:
		// Skatteverket answered every part it answered with an error of its
		// own: that is its word on the whole question.
		res.Status = &ssbtekv1.Status{Kod: ssbtekv1.StatusKod_STATUS_KOD_ANNATFEL, Meddelande: firstBT.GetFelmeddelande()}
		res.Fel = &ssbtekv1.Fel{Kalla: firstBT.GetKalla(), Felkod: firstBT.GetFelkod(), Felmeddelande: firstBT.GetFelmeddelande()}
	default:
		// SKV's interface has no protected-identity flag.
		res.Status = bastjanst.Status(data, false)
	}
	if data {
		res.Innehall = &ssbtekv1.BastjanstResultat_Skv{Skv: content}
	}
	return res, nil
}

// cmpErr keeps the first error.
func cmpErr(first, err error) error {
	if first != nil {
		return first
	}
	return err
}

// readDel turns one part's HTTP answer into its Delsvar, typing its data
// into content: 200 is the part's data, an error answer from 400 on is
// Skatteverket's own (404: nothing in this part), anything else no answer.
// An answer it cannot read, or one about another person, is an error and
// is not kept.
func readDel(content *ssbtekv1.Beskattning, del string, resp *httpcall.Response, pnr string) (*ssbtekv1.Delsvar, error) {
	rd := radata.New(resp.Body, resp.ContentType, DelEmbedding)
	switch s := resp.Status; {
	case s == http.StatusOK:
		if err := typeDel(content, del, resp.Body, pnr); err != nil {
			return nil, bastjanst.Unreadable(err)
		}
		return &ssbtekv1.Delsvar{Namn: del, Status: bastjanst.Status(true, false), Radata: rd}, nil
	case s >= http.StatusBadRequest:
		fs, ok := parseDelFelsvar(resp.Body)
		if !ok {
			// Not Skatteverket speaking (a proxy, a load balancer).
			return nil, bastjanst.Unavailable(fmt.Errorf("without an error answer: %w", &bastjanst.StatusError{Status: s}))
		}
		felkod := fs.Felkod
		if felkod == "" {
			felkod = fmt.Sprintf("HTTP %d", s)
		}
		fel := &ssbtekv1.Fel{Kalla: ssbtekv1.Kalla_KALLA_BT, Felkod: felkod, Felmeddelande: redact.Identifiers(fs.Meddelande)}
		status := &ssbtekv1.Status{Kod: ssbtekv1.StatusKod_STATUS_KOD_ANNATFEL, Meddelande: fel.GetFelmeddelande()}
		if s == http.StatusNotFound {
			status = bastjanst.Status(false, false)
		}
		return &ssbtekv1.Delsvar{Namn: del, Status: status, Radata: rd, Fel: fel}, nil
	default:
		return nil, bastjanst.Unreadable(fmt.Errorf("unexpected HTTP status %d", s))
	}
}

// parseDelFelsvar reads the interface's error answer: a JSON object with a
// message. An error page of some other server is no answer from Skatteverket.
func parseDelFelsvar(raw []byte) (delFelsvar, bool) {
	var fs delFelsvar
	t := strings.TrimSpace(string(raw))
	if !strings.HasPrefix(t, "{") || json.Unmarshal(raw, &fs) != nil || strings.TrimSpace(fs.Meddelande) == "" {
		return delFelsvar{}, false
	}
	return fs, true
}

// testa asks the part skattekonto about the ping's identity, which can be
// nobody: the interface is up when it answers that it knows nothing (404 with
// its error answer) or with data; any other answer means it cannot answer
// questions.
func (c delarClient) testa(ctx context.Context, operator string) error {
	body, err := json.Marshal(delFraga{Personnummer: pingPersonidentitet, Arendeidentitet: pingArende, Handlaggare: pingHandlaggare})
	if err != nil {
		return bastjanst.Unavailable(fmt.Errorf("building the ping: %w", err))
	}
	resp, err := c.ask(ctx, operator, delSkattekonto, body, 1)
	if err != nil {
		return err
	}
	switch _, ok := parseDelFelsvar(resp.Body); {
	case resp.Status == http.StatusOK:
		if err := typeDel(&ssbtekv1.Beskattning{}, delSkattekonto, resp.Body, pingPersonidentitet); err != nil {
			return bastjanst.Unreadable(fmt.Errorf("ping answer: %w", err))
		}
		return nil
	case resp.Status == http.StatusNotFound && ok:
		return nil
	case resp.Status >= http.StatusBadRequest:
		return bastjanst.Unavailable(&bastjanst.StatusError{Status: resp.Status})
	default:
		return bastjanst.Unreadable(errors.New("ping answer is no answer of the interface"))
	}
}

// adapter asks Skatteverket: the parts over its JSON interface, or, when the
// question says so (SSBTEK v1-v10), the SOAP service Beskattningsuppgifter.
type adapter struct {
	soap     bastjanst.Adapter
	delar    delarClient
	operator string
}

func (a *adapter) Bastjanst() ssbtekv1.Bastjanst { return bastjanstSKV }

// Hamta asks about f's person for period (nil means the period that applies
// to SKV).
func (a *adapter) Hamta(ctx context.Context, f *ssbtekv1.Fraga, period *ssbtekv1.Tidsperiod) (*ssbtekv1.BastjanstResultat, error) {
	if f.GetSkv().GetBeskattningsuppgifter() {
		return a.soap.Hamta(ctx, f, period)
	}
	if period == nil {
		period = bastjanst.PeriodFor(f, bastjanstSKV)
	}
	return a.delar.hamta(ctx, f, period)
}

// Testa probes both interfaces: a question asks one or the other.
func (a *adapter) Testa(ctx context.Context) error {
	if err := a.soap.Testa(ctx); err != nil {
		return err
	}
	if err := a.delar.testa(ctx, a.operator); err != nil {
		return fmt.Errorf("testing SKV's parts: %w", err)
	}
	return nil
}

// newAdapter joins the SOAP adapter and the parts' client at cfg.URL: the
// SOAP endpoint, to which the JSON interface's paths are appended.
func newAdapter(cfg adapters.Config, soap bastjanst.Adapter) bastjanst.Adapter {
	return &adapter{
		soap:     soap,
		delar:    delarClient{base: strings.TrimRight(cfg.URL, "/"), hc: cfg.HTTP, maxBody: cfg.MaxBody},
		operator: cfg.OperatorOrDefault(),
	}
}
