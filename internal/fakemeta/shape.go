package fakemeta

// malformed says what is wrong with a request body, or "" when the fake
// accepts its shape. It checks what a sender can get wrong and Graph
// refuses with error 100: the required fields of each kind, and the
// documented counts of buttons and list rows. Media messages are not faked.
func malformed(rec Request) string {
	j := rec.JSON
	switch {
	case j == nil:
		return "the body is not a JSON object"
	case j["messaging_product"] != "whatsapp":
		return "messaging_product must be whatsapp"
	case rec.Type == "read":
		if id, _ := j["message_id"].(string); id == "" {
			return "message_id is required"
		}
		return ""
	case rec.To == "":
		return "to is required"
	}
	obj, _ := j[rec.Type].(map[string]any)
	switch rec.Type {
	case "text":
		if str(obj, "body") == "" {
			return "text.body is required"
		}
	case "interactive":
		return interactiveProblem(obj)
	case "template":
		if lang, _ := obj["language"].(map[string]any); str(obj, "name") == "" || str(lang, "code") == "" {
			return "template.name and template.language.code are required"
		}
	default:
		return "type must be text, interactive or template"
	}
	return ""
}

func interactiveProblem(in map[string]any) string {
	body, _ := in["body"].(map[string]any)
	act, _ := in["action"].(map[string]any)
	if str(body, "text") == "" || act == nil {
		return "interactive.body.text and interactive.action are required"
	}
	switch str(in, "type") {
	case "button":
		if n := len(list(act, "buttons")); n < 1 || n > 3 {
			return "interactive.action.buttons must hold 1 to 3 buttons"
		}
	case "list":
		rows := 0
		for _, sec := range list(act, "sections") {
			m, _ := sec.(map[string]any)
			rows += len(list(m, "rows"))
		}
		if str(act, "button") == "" || rows < 1 || rows > 10 {
			return "interactive.action needs a button and 1 to 10 rows across its sections"
		}
	default:
		return "interactive.type must be button or list"
	}
	return ""
}

func str(m map[string]any, key string) string {
	v, _ := m[key].(string)
	return v
}

func list(m map[string]any, key string) []any {
	v, _ := m[key].([]any)
	return v
}
