// Package quota bounds how often the gateway is asked and how often it asks:
// a daily count of questions per organisation and, per agency, a GCRA rate
// and a daily bound, so that no caller can push an agency past what it
// promises (about one question a second and 10 000 a working day, seed 004
// §13). The counts live in a Store: Memory for one process, quota/sqlquota
// for every replica on one database (and across restarts). How many calls
// are in flight at an agency is the fan-out core's bulkhead.
package quota

import (
	"context"
	"fmt"
	"sync"
	"time"
	_ "time/tzdata" // the day is Swedish: do not depend on the host's zoneinfo

	"golang.org/x/time/rate"
)

// Counter counts questions per organisation and day. It is an interface so
// that several gateway replicas can share counts in a database; Memory serves
// one process.
type Counter interface {
	// Take counts one question of org on day (YYYY-MM-DD) unless org already
	// asked limit questions that day, and reports whether it counted it.
	Take(ctx context.Context, org, day string, limit int) (bool, error)
}

// Memory is a Store in this process's memory, for one process that may
// forget its counts on restart (tests, tools). It forgets every day but
// the latest, so it stays as small as the number of organisations.
type Memory struct {
	mu     sync.Mutex
	day    string
	counts map[string]int
	rates  map[string]*rate.Limiter
}

// NewMemory returns an empty Memory store.
func NewMemory() *Memory {
	return &Memory{counts: map[string]int{}, rates: map[string]*rate.Limiter{}}
}

// Turn implements Turns with one token bucket per agency, made with the
// limits of its first call.
func (m *Memory) Turn(_ context.Context, agency string, l Limits, maxWait time.Duration) (time.Duration, bool, error) {
	m.mu.Lock()
	lim, ok := m.rates[agency]
	if !ok {
		lim = rate.NewLimiter(rate.Limit(l.Rate), max(l.Burst, 1))
		m.rates[agency] = lim
	}
	m.mu.Unlock()
	r := lim.Reserve()
	if !r.OK() {
		return 0, false, nil
	}
	d := r.Delay()
	if d > maxWait {
		r.Cancel()
		return 0, false, nil
	}
	return d, true, nil
}

// Take implements Counter.
func (m *Memory) Take(_ context.Context, org, day string, limit int) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if day != m.day {
		if day < m.day {
			// A clock stepping back must not reopen a finished day's quota
			// for whoever raced it; count against the latest day instead.
			day = m.day
		} else {
			m.day, m.counts = day, map[string]int{}
		}
	}
	if m.counts[org] >= limit {
		return false, nil
	}
	m.counts[org]++
	return true, nil
}

// stockholm is the zone of the working day the quota counts.
var stockholm = mustZone("Europe/Stockholm")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		// time/tzdata is linked in, so this cannot happen at run time.
		return time.FixedZone("CET", 3600)
	}
	return loc
}

// Day returns the Swedish calendar day of t (YYYY-MM-DD) and how long until
// the next one starts, for a Retry-After.
func Day(t time.Time) (day string, untilNext time.Duration) {
	local := t.In(stockholm)
	y, mo, d := local.Date()
	next := time.Date(y, mo, d+1, 0, 0, 0, 0, stockholm)
	return fmt.Sprintf("%04d-%02d-%02d", y, mo, d), next.Sub(t)
}
