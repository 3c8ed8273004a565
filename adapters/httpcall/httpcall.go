// Package httpcall is the HTTP plumbing every agency adapter shares, SOAP and
// REST alike: one request with the caller's deadline, the answer read under
// a size limit, and failures classified with the gateway's felkoder.
package httpcall

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/ssbtek/gateway/bastjanst"
)

// DefaultMaxBody bounds an agency answer; anything larger is unreadable.
const DefaultMaxBody = 4 << 20

// defaultHTTP is used when no client is given. Per-call deadlines come from
// the context; these bound the connection phases.
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

// Client sends requests to one agency. Its zero value uses the defaults.
type Client struct {
	hc      *http.Client
	maxBody int64
}

// New returns a client sending through hc (nil: DefaultHTTPClient), so a
// per-agency transport can be plugged in, reading answers of at most maxBody
// bytes (0 or less: DefaultMaxBody).
func New(hc *http.Client, maxBody int64) Client {
	return Client{hc: hc, maxBody: maxBody}
}

// Response is an agency's HTTP answer, read whole.
type Response struct {
	Status int
	// ContentType is the answer's Content-Type header as sent.
	ContentType string
	// Body is the answer's body byte for byte.
	Body []byte
}

// Post sends one HTTP POST of body with the given Content-Type and extra
// headers.
func (c Client) Post(ctx context.Context, url, contentType string, header map[string]string, body []byte) (*Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return nil, bastjanst.Unavailable(fmt.Errorf("building request: %w", err))
	}
	req.Header.Set("Content-Type", contentType)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	return c.Do(ctx, req)
}

// Do sends req and reads its answer whatever its status. Transport failures
// are 2002, an answer over the size limit or broken off 2003, a done context
// ctx.Err().
func (c Client) Do(ctx context.Context, req *http.Request) (*Response, error) {
	hc := c.hc
	if hc == nil {
		hc = defaultHTTP
	}
	limit := c.maxBody
	if limit <= 0 {
		limit = DefaultMaxBody
	}
	resp, err := hc.Do(req)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, bastjanst.Unavailable(err)
	}
	defer resp.Body.Close()
	raw, err := readAll(io.LimitReader(resp.Body, limit+1), resp.ContentLength, limit)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		// The connection broke mid-answer: what came is a truncated answer.
		return nil, bastjanst.Unreadable(fmt.Errorf("reading answer: %w", err))
	}
	if int64(len(raw)) > limit {
		return nil, bastjanst.Unreadable(fmt.Errorf("answer larger than %d bytes", limit))
	}
	return &Response{Status: resp.StatusCode, ContentType: resp.Header.Get("Content-Type"), Body: raw}, nil
}

// readAll is io.ReadAll starting with room for the length the answer
// announced (when it is within limit), so that reading it allocates once
// instead of growing from 512 bytes. The bytes are the caller's to keep.
func readAll(r io.Reader, announced, limit int64) ([]byte, error) {
	if announced <= 0 || announced > limit {
		return io.ReadAll(r)
	}
	// One byte more, so that the read which finds the end does not grow it.
	b := make([]byte, 0, announced+1)
	for {
		n, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err == io.EOF {
			return b, nil
		}
		if err != nil {
			return b, err
		}
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
	}
}
