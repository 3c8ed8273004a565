// Package registry lists the agencies the gateway knows. Adding an agency is
// one line here plus its own package.
package registry

import (
	"github.com/ssbtek/gateway/adapters"
	"github.com/ssbtek/gateway/adapters/af"
	"github.com/ssbtek/gateway/adapters/csn"
	"github.com/ssbtek/gateway/adapters/fk"
	"github.com/ssbtek/gateway/adapters/folkbokforing"
	"github.com/ssbtek/gateway/adapters/miv"
	"github.com/ssbtek/gateway/adapters/skv"
	"github.com/ssbtek/gateway/adapters/so"
	"github.com/ssbtek/gateway/adapters/tns"
)

// Agencies returns every agency, in the contract's order.
func Agencies() []adapters.Agency {
	return []adapters.Agency{
		af.Agency(),
		csn.Agency(),
		fk.Agency(),
		skv.Agency(),
		so.Agency(),
		tns.Agency(),
		miv.Agency(),
		folkbokforing.Agency(),
	}
}
