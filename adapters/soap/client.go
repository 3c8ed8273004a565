package soap

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/beevik/etree"

	"github.com/ssbtek/gateway/bastjanst"
)

// DefaultMaxBody bounds an agency answer; anything larger is unreadable.
const DefaultMaxBody = 4 << 20

// Client calls one SOAP endpoint.
type Client struct {
	URL string
	// HTTP defaults to a client with conservative transport timeouts.
	HTTP *http.Client
	// MaxBody defaults to DefaultMaxBody.
	MaxBody int64
}

// DefaultHTTPClient is used when Client.HTTP is nil. Per-call deadlines come
// from the context; these bound the connection phases.
var defaultHTTP = &http.Client{
	Transport: &http.Transport{
		Proxy:                 nil,
		MaxIdleConnsPerHost:   32,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   5 * time.Second,
		ResponseHeaderTimeout: 10 * time.Second,
	},
	Timeout: 15 * time.Second,
}

// DefaultHTTPClient returns the shared HTTP client adapters use by default.
func DefaultHTTPClient() *http.Client { return defaultHTTP }

// Response is an agency's SOAP answer.
type Response struct {
	// Raw is the whole HTTP body as received.
	Raw []byte
	*Envelope
}

// Call posts the body (and optional header elements) with the given
// SOAPAction and returns the parsed answer. A SOAP fault is an answer, not an
// error: check Response.Fault. Errors carry the gateway's felkod:
// unreachable or non-SOAP HTTP failures are 2002, unreadable answers 2003;
// a done context comes back as ctx.Err().
func (c *Client) Call(ctx context.Context, action string, body *etree.Element, headers ...*etree.Element) (*Response, error) {
	return c.CallRaw(ctx, action, Build(body, headers...))
}

// CallRaw is Call with a ready serialized envelope.
func (c *Client) CallRaw(ctx context.Context, action string, envelope []byte) (*Response, error) {
	raw, status, err := Post(ctx, c.httpClient(), c.URL, ContentType, map[string]string{"SOAPAction": `"` + action + `"`}, envelope, c.maxBody())
	if err != nil {
		return nil, err
	}
	env, perr := Parse(raw)
	switch {
	case perr == nil && (status == http.StatusOK || (status == http.StatusInternalServerError && env.Fault != nil)):
		if env.Body == nil {
			return nil, bastjanst.Unreadable(errors.New("empty SOAP body"))
		}
		return &Response{Raw: raw, Envelope: env}, nil
	case status != http.StatusOK:
		return nil, bastjanst.Unavailable(fmt.Errorf("HTTP status %d", status))
	default:
		return nil, bastjanst.Unreadable(perr)
	}
}

func (c *Client) httpClient() *http.Client {
	if c.HTTP != nil {
		return c.HTTP
	}
	return defaultHTTP
}

func (c *Client) maxBody() int64 {
	if c.MaxBody > 0 {
		return c.MaxBody
	}
	return DefaultMaxBody
}

// Post sends one HTTP POST and reads at most maxBody bytes of the answer. It
// is shared by SOAP and REST adapters. Transport failures are 2002, a body
// over the limit 2003, a done context ctx.Err().
func Post(ctx context.Context, hc *http.Client, url, contentType string, header map[string]string, body []byte, maxBody int64) ([]byte, int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return nil, 0, bastjanst.Unavailable(fmt.Errorf("building request: %w", err))
	}
	req.Header.Set("Content-Type", contentType)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	return Do(ctx, hc, req, maxBody)
}

// Do sends req and reads at most maxBody bytes of the answer, with Post's error rules.
func Do(ctx context.Context, hc *http.Client, req *http.Request, maxBody int64) ([]byte, int, error) {
	resp, err := hc.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return nil, 0, ctx.Err()
		}
		return nil, 0, bastjanst.Unavailable(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	if err != nil {
		if ctx.Err() != nil {
			return nil, resp.StatusCode, ctx.Err()
		}
		// The connection broke mid-answer: what came is a truncated answer.
		return nil, resp.StatusCode, bastjanst.Unreadable(fmt.Errorf("reading answer: %w", err))
	}
	if int64(len(raw)) > maxBody {
		return nil, resp.StatusCode, bastjanst.Unreadable(fmt.Errorf("answer larger than %d bytes", maxBody))
	}
	return raw, resp.StatusCode, nil
}
