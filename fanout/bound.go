package fanout

import (
	"fmt"
	"unicode/utf8"

	"google.golang.org/protobuf/proto"

	"github.com/ssbtek/gateway/bastjanst"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
)

// Bounds on the compiled answer.
const (
	// DefaultMaxFeltext caps each error and status text: an agency's
	// native error text is passed on, but a 3.9 MiB one helps nobody, and
	// its raw payload still holds every byte.
	DefaultMaxFeltext = 2048
	// DefaultMaxAnswer bounds the encoded size of all results together so
	// that the gRPC answer fits a client's default 4 MiB receive limit,
	// with room for the envelope around the results.
	DefaultMaxAnswer = 4<<20 - 64<<10
)

// Bound makes results fit: it caps every Felmeddelande and Status
// meddelande at maxText bytes, then, while the encoded results exceed
// maxTotal bytes, replaces the largest agency result by felkod 2007 saying
// so. The others keep their data: one agency's giant answer must not cost
// the caller the whole answer. Zero or negative limits do not bound.
func Bound(results []*ssbtekv1.BastjanstResultat, maxText, maxTotal int) {
	for _, r := range results {
		capTexts(r, maxText)
	}
	if maxTotal <= 0 {
		return
	}
	sizes := make([]int, len(results))
	total := 0
	for i, r := range results {
		sizes[i] = proto.Size(r)
		total += sizes[i]
	}
	replaced := make([]bool, len(results))
	for total > maxTotal {
		big := -1
		for i := range sizes {
			if !replaced[i] && (big < 0 || sizes[i] > sizes[big]) {
				big = i
			}
		}
		if big < 0 {
			// Every part is already only an error element: nothing left to drop.
			return
		}
		r := results[big]
		err := bastjanst.TooLarge(fmt.Errorf("result of %d bytes; the whole answer would be %d, limit %d", sizes[big], total, maxTotal))
		repl := bastjanst.Failed(r.GetBastjanst(), err, r.GetLatens().AsDuration())
		repl.Fel.Felmeddelande = fmt.Sprintf("%s (%d byte, gräns för hela svaret %d byte)", repl.Fel.Felmeddelande, sizes[big], maxTotal)
		repl.Status.Meddelande = repl.Fel.Felmeddelande
		results[big], replaced[big] = repl, true
		total += proto.Size(repl) - sizes[big]
		sizes[big] = proto.Size(repl)
	}
}

// capTexts caps r's Felmeddelande and Status meddelande at maxText bytes
// (not at all when maxText ≤ 0). It writes only a text it cuts: a result
// already handed to an observer (a stream sending it) is read concurrently,
// and capping it again must not touch it.
func capTexts(r *ssbtekv1.BastjanstResultat, maxText int) {
	if maxText <= 0 {
		return
	}
	if f := r.GetFel(); f != nil && len(f.Felmeddelande) > maxText {
		f.Felmeddelande = truncate(f.Felmeddelande, maxText)
	}
	if s := r.GetStatus(); s != nil && len(s.Meddelande) > maxText {
		s.Meddelande = truncate(s.Meddelande, maxText)
	}
}

// truncate cuts s to at most n bytes on a rune boundary, marking the cut.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	const mark = "…"
	cut := max(n-len(mark), 0)
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + mark
}
