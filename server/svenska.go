package server

import (
	"fmt"
	"strings"

	"buf.build/go/protovalidate"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// svenska is the reason for a broken proto rule in Swedish, the contract's
// language, so that every validation message a caller reads is in one
// language (the Go checks' reasons already are); root is the message
// validated. A rule without a
// translation keeps protovalidate's own text rather than losing it.
func svenska(v *protovalidate.Violation, root protoreflect.MessageDescriptor) string {
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
		return "är inget känt värde" + validValues(v, root)
	case "enum.not_in":
		return "måste anges" + validValues(v, root)
	case "int32.gte_lte":
		return "ligger utanför det tillåtna intervallet"
	case "repeated.max_items":
		return fmt.Sprintf("får ha högst %s element", rule)
	}
	return v.Proto.GetMessage()
}

// validValues lists the values an enum field takes, so that the caller
// reads the fix beside the fault. root is the validated message, from
// which the violation's field path leads to the field (protovalidate
// leaves FieldDescriptor unset for a repeated field's items).
func validValues(v *protovalidate.Violation, root protoreflect.MessageDescriptor) string {
	fd := v.FieldDescriptor
	if fd == nil {
		msg := root
		for _, el := range v.Proto.GetField().GetElements() {
			if msg == nil {
				return ""
			}
			fd = msg.Fields().ByNumber(protoreflect.FieldNumber(el.GetFieldNumber()))
			if fd == nil {
				return ""
			}
			msg = fd.Message()
		}
	}
	if fd == nil || fd.Enum() == nil {
		return ""
	}
	return "; giltiga värden: " + strings.Join(enumNames(fd.Enum()), ", ")
}
