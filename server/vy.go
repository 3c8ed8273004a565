package server

import (
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"

	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
)

// withRadata reports whether the view carries the agencies' raw payloads.
func withRadata(v ssbtekv1.Vy) bool {
	return v == ssbtekv1.Vy_VY_RADATA || v == ssbtekv1.Vy_VY_FULLSTANDIG
}

// without returns a shallow copy of m without the named field. A copy,
// never m changed: the lookup service may still hold m (a stream's results
// are recorded in the audit log after they are sent). Field by field
// through reflection, so that a field added to the message later is kept.
func without[M proto.Message](m M, field protoreflect.Name) M {
	src := m.ProtoReflect()
	dst := src.New()
	src.Range(func(fd protoreflect.FieldDescriptor, val protoreflect.Value) bool {
		if fd.Name() != field {
			dst.Set(fd, val)
		}
		return true
	})
	return dst.Interface().(M)
}

// resultatInView returns r as the view shows it: r itself when the view
// carries raw payloads or r has none. An agency that answers in parts
// (Skatteverket's) has a raw payload per part (delsvar), left out alike.
func resultatInView(r *ssbtekv1.BastjanstResultat, v ssbtekv1.Vy) *ssbtekv1.BastjanstResultat {
	if withRadata(v) || !hasRadata(r) {
		return r
	}
	out := without(r, "radata")
	if len(r.GetDelsvar()) > 0 {
		out.Delsvar = make([]*ssbtekv1.Delsvar, len(r.GetDelsvar()))
		for i, d := range r.GetDelsvar() {
			out.Delsvar[i] = without(d, "radata")
		}
	}
	return out
}

// hasRadata reports whether r carries a raw payload, its own or a part's.
func hasRadata(r *ssbtekv1.BastjanstResultat) bool {
	if r.GetRadata() != nil {
		return true
	}
	for _, d := range r.GetDelsvar() {
		if d.GetRadata() != nil {
			return true
		}
	}
	return false
}

// sammanstallningInView returns sam as the view shows it, sam itself when
// nothing is left out.
func sammanstallningInView(sam *ssbtekv1.Sammanstallning, v ssbtekv1.Vy) *ssbtekv1.Sammanstallning {
	if sam == nil || withRadata(v) {
		return sam
	}
	out := without(sam, "resultat")
	out.Resultat = make([]*ssbtekv1.BastjanstResultat, len(sam.GetResultat()))
	for i, r := range sam.GetResultat() {
		out.Resultat[i] = resultatInView(r, v)
	}
	return out
}

// streamEnd is the stream's last message as the view shows it: the results
// went out one by one already, so only VY_FULLSTANDIG repeats them.
func streamEnd(sam *ssbtekv1.Sammanstallning, v ssbtekv1.Vy) *ssbtekv1.Sammanstallning {
	if sam == nil || v == ssbtekv1.Vy_VY_FULLSTANDIG {
		return sam
	}
	return without(sam, "resultat")
}
