package legacy

import (
	"errors"
	"strings"

	"github.com/beevik/etree"

	"github.com/ssbtek/gateway/adapters/soap"
)

// parseDocument returns the root element of a request body, read strictly
// (soap.ReadStrict) as UTF-8 or ISO-8859-1, which older Swedish
// integrations still send. SSBTEK clients never send UTF-16, which stays
// refused as it always was.
func parseDocument(body []byte, contentType string, maxDepth int) (*etree.Element, error) {
	if len(body) > 1 && (body[0] == 0xFE && body[1] == 0xFF || body[0] == 0xFF && body[1] == 0xFE) ||
		strings.HasPrefix(strings.ToLower(soap.Charset(contentType)), "utf-16") {
		return nil, invalid("teckenkodningen UTF-16 stöds inte, använd UTF-8")
	}
	return soap.ReadStrict(body, contentType, maxDepth)
}

// asRequestError makes a refusal of the XML reader a refused request.
func asRequestError(err error) error {
	var xe *soap.XMLError
	if errors.As(err, &xe) {
		return invalid("%s", xe.Problem)
	}
	return err
}
