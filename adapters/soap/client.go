package soap

import (
	"context"
	"errors"
	"net/http"

	"github.com/beevik/etree"

	"github.com/ssbtek/gateway/adapters/httpcall"
	"github.com/ssbtek/gateway/bastjanst"
)

// Client calls one SOAP endpoint.
type Client struct {
	URL string
	// HTTP sends the requests and bounds the answers.
	HTTP httpcall.Client
}

// Response is an agency's SOAP answer.
type Response struct {
	*Envelope
}

// Call posts the body (and optional header elements) with the given
// SOAPAction and returns the parsed answer. A SOAP fault is an answer, not an
// error: check Response.Fault. Errors carry the gateway's felkod:
// unreachable or non-SOAP HTTP failures are 2002 (an HTTP status as
// *bastjanst.StatusError), unreadable answers 2003; a done context comes back
// as ctx.Err().
func (c *Client) Call(ctx context.Context, action string, body *etree.Element, headers ...*etree.Element) (*Response, error) {
	return c.CallRaw(ctx, action, Build(body, headers...))
}

// CallRaw is Call with a ready serialized envelope.
func (c *Client) CallRaw(ctx context.Context, action string, envelope []byte) (*Response, error) {
	resp, err := c.HTTP.Post(ctx, c.URL, ContentType, map[string]string{"SOAPAction": `"` + action + `"`}, envelope)
	if err != nil {
		return nil, err
	}
	status := resp.Status
	env, perr := ParseAs(resp.Body, resp.ContentType)
	switch {
	case perr == nil && (status == http.StatusOK || (status == http.StatusInternalServerError && env.Fault != nil)):
		if env.Body == nil {
			return nil, bastjanst.Unreadable(errors.New("empty SOAP body"))
		}
		return &Response{Envelope: env}, nil
	case status != http.StatusOK:
		return nil, bastjanst.Unavailable(&bastjanst.StatusError{Status: status})
	default:
		return nil, bastjanst.Unreadable(perr)
	}
}
