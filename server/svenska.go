package server

import (
	"fmt"

	"buf.build/go/protovalidate"
)

// svenska is the reason for a broken proto rule in Swedish, the contract's
// language, so that every validation message a caller reads is in one
// language (the Go checks' reasons already are). A rule without a
// translation keeps protovalidate's own text rather than losing it.
func svenska(v *protovalidate.Violation) string {
	rule := v.RuleValue.String()
	switch v.Proto.GetRuleId() {
	case "required":
		return "saknas"
	case "string.pattern":
		return fmt.Sprintf("följer inte mönstret %s", rule)
	case "string.min_len":
		if rule == "1" {
			return "får inte vara tomt"
		}
		return fmt.Sprintf("ska vara minst %s tecken", rule)
	case "string.max_len":
		return fmt.Sprintf("får vara högst %s tecken", rule)
	case "enum.defined_only":
		return "är inget känt värde"
	case "enum.not_in":
		return "måste anges"
	case "int32.gte_lte":
		return "ligger utanför det tillåtna intervallet"
	case "repeated.max_items":
		return fmt.Sprintf("får ha högst %s element", rule)
	}
	return v.Proto.GetMessage()
}
