package skv

import (
	"errors"
	"fmt"

	"github.com/beevik/etree"

	rawdata "github.com/ssbtek/gateway/adapters/radata"
	"github.com/ssbtek/gateway/adapters/soap"
	"github.com/ssbtek/gateway/bastjanst"
	ssbtekv1 "github.com/ssbtek/gateway/gen/ssbtek/v1"
)

// readResponse maps one SKV answer about pnr: a fault is SKV's own error
// (kalla BT), a BeskattningsuppgifterResponse its data; anything else is
// unreadable.
func readResponse(resp *soap.Envelope, pnr string) (*ssbtekv1.BastjanstResultat, error) {
	// The legacy shim copies Radata's children into SSBTEK's data element,
	// so Radata is the Body's child on its own: BeskattningsuppgifterResponse
	// with svar still an escaped string (seed 000 §5.10), or for an error the
	// soap:Fault with SKV's Exception in its detail.
	radata := rawdata.FromEnvelope(resp, SSBTEK)
	if resp.Fault != nil {
		code, text := faultFields(resp.Fault)
		return bastjanst.NativeError(bastjanstSKV, code, text, radata), nil
	}
	content, err := readSvar(resp.Body, pnr)
	if err != nil {
		return nil, err
	}
	res := &ssbtekv1.BastjanstResultat{
		Bastjanst: bastjanstSKV,
		// SKV's contract has no protected-identity flag.
		Status: bastjanst.Status(content != nil, false),
		Radata: radata,
	}
	if content != nil {
		res.Innehall = &ssbtekv1.BastjanstResultat_Skv{Skv: content}
	}
	return res, nil
}

// faultFields returns the code and text of a fault (seed 000 §6.3.2): SKV's
// MeddelandeKod and MeddelandeText from the Exception in the detail, falling
// back to the fault's own faultcode and faultstring where the Exception or
// one of its (optional) fields is missing, as in faults of the SOAP stack.
func faultFields(f *soap.Fault) (code, text string) {
	code, text = f.Code, f.String
	if d := f.Detail; d != nil && d.Tag == elemFelsvar && d.NamespaceURI() == Namespace {
		if c := soap.Text(d, "MeddelandeKod"); c != "" {
			code = c
		}
		if t := soap.Text(d, "MeddelandeText"); t != "" {
			text = t
		}
	}
	return code, text
}

// readSvar reads BeskattningsuppgifterResponse and the svar document in it.
// It returns nil content when SKV knows nothing. Errors are 2003.
func readSvar(body *etree.Element, pnr string) (*ssbtekv1.Beskattning, error) {
	if body.Tag != elemSvar || body.NamespaceURI() != Namespace {
		return nil, bastjanst.Unreadable(fmt.Errorf("answer is not {%s}%s", Namespace, elemSvar))
	}
	svar := soap.Child(body, "", "svar")
	if svar == nil {
		return nil, bastjanst.Unreadable(errors.New("answer has no svar"))
	}
	content, err := readSvarsdokument(svar.Text(), pnr)
	if err != nil {
		return nil, bastjanst.Unreadable(err)
	}
	return content, nil
}
