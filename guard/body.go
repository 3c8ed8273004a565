package guard

import (
	"errors"
	"io"
	"net/http"
	"time"
)

// BodyRate is the least rate at which a request body must arrive.
type BodyRate struct {
	// BytesPerSecond is the rate; 0 means no bound.
	BytesPerSecond int64
	// Grace is the time the first bytes may take (a slow start, the
	// handler's own work before it reads).
	Grace time.Duration
	// Most is the latest a body may end, from when its handler starts:
	// the server's read timeout, which the rate's deadlines replace; 0
	// means none.
	Most time.Duration
}

// MinBodyRate ends the reading of a request body that arrives slower than
// rate: its n-th byte must have come within Grace + n/BytesPerSecond of
// the handler's start. The server's read timeout alone lets a body of one
// byte a second hold its connection for that whole timeout (30 s); this
// ends it within the grace.
func MinBodyRate(next http.Handler, rate BodyRate) http.Handler {
	if rate.BytesPerSecond <= 0 {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body != nil && r.Body != http.NoBody {
			b := &rateBody{ReadCloser: r.Body, rc: http.NewResponseController(w), rate: rate, start: time.Now()}
			if rate.Most > 0 {
				b.end = b.start.Add(rate.Most)
			}
			r.Body = b
		}
		next.ServeHTTP(w, r)
	})
}

type rateBody struct {
	io.ReadCloser
	rc         *http.ResponseController
	rate       BodyRate
	start, end time.Time
	n          int64
	done       bool
}

func (b *rateBody) Read(p []byte) (int, error) {
	if !b.done {
		due := b.start.Add(b.rate.Grace + time.Duration(float64(b.n)/float64(b.rate.BytesPerSecond)*float64(time.Second)))
		if !b.end.IsZero() && due.After(b.end) {
			due = b.end
		}
		// A server that cannot set deadlines keeps its read timeout.
		_ = b.rc.SetReadDeadline(due)
	}
	n, err := b.ReadCloser.Read(p)
	b.n += int64(n)
	if errors.Is(err, io.EOF) && !b.done {
		// The body is in: what the connection reads from now on (net/http
		// watches it for the caller going away while the handler works)
		// has the read timeout again, not the rate's last deadline.
		b.done = true
		_ = b.rc.SetReadDeadline(b.end)
	}
	return n, err
}
