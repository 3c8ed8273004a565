// Package registry lists the agencies the gateway knows. Adding an agency is
// one line here plus its own package.
package registry

import (
	"github.com/ssbtek/gateway/adapters"
	"github.com/ssbtek/gateway/adapters/af"
	"github.com/ssbtek/gateway/adapters/miv"
	"github.com/ssbtek/gateway/adapters/so"
	"github.com/ssbtek/gateway/adapters/tns"
)

// Agencies returns every agency, in the contract's order.
func Agencies() []adapters.Agency {
	return []adapters.Agency{
		af.Agency(),
		so.Agency(),
		tns.Agency(),
		miv.Agency(),
	}
}
