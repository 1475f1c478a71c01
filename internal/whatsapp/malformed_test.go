package whatsapp

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
)

func TestParseMalformed(t *testing.T) {
	value := func(v string) string {
		return `{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":` + v + `}]}]}`
	}
	for _, c := range []struct{ name, body string }{
		{"empty", ``},
		{"not JSON", `hello`},
		{"form", `hub.mode=subscribe`},
		{"truncated", `{"object":"whatsapp_business_account","entry":[`},
		{"array", `[]`},
		{"null", `null`},
		{"string", `"whatsapp_business_account"`},
		{"another object", `{"object":"page","entry":[]}`},
		{"no object", `{"entry":[]}`},
		{"entry not a list", `{"object":"whatsapp_business_account","entry":{}}`},
		{"value a list", value(`[]`)},
		{"messages not a list", value(`{"messages":{}}`)},
		{"a message not an object", value(`{"messages":[1]}`)},
		{"a message without id", value(`{"messages":[{"from":"919876543210","timestamp":"1763095530","type":"text","text":{"body":"x"}}]}`)},
		{"a timestamp not a number", value(`{"messages":[{"id":"w","timestamp":"yesterday","type":"text"}]}`)},
		{"a negative timestamp", value(`{"messages":[{"id":"w","timestamp":"-1","type":"text"}]}`)},
		{"a timestamp past 9999", value(`{"messages":[{"id":"w","timestamp":"253402300800","type":"text"}]}`)},
		{"a fractional timestamp", value(`{"messages":[{"id":"w","timestamp":1763095530.5,"type":"text"}]}`)},
		{"an id not a string", value(`{"messages":[{"id":7,"type":"text"}]}`)},
		{"a status without id", value(`{"statuses":[{"status":"sent","timestamp":"1763095530"}]}`)},
		{"a status without status", value(`{"statuses":[{"id":"w","timestamp":"1763095530"}]}`)},
		{"an error code not a number", value(`{"errors":[{"code":"131000"}]}`)},
	} {
		n, err := Parse([]byte(c.body))
		if !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: Parse error %v; want ErrMalformed", c.name, err)
		}
		if n.Messages != nil || n.Statuses != nil || n.Errors != nil {
			t.Errorf("%s: the error came with %+v", c.name, n)
		}
	}
}

// Error texts end up in logs: they say where, never whose number.
func TestParseErrorHasNoNumbers(t *testing.T) {
	_, err := Parse([]byte(`{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":
		{"metadata":{"display_phone_number":"918047123456"},"messages":[{"from":"919876543210","timestamp":"x9876543210"}]}}]}]}`))
	if err == nil || strings.Contains(err.Error(), "9876543210") {
		t.Errorf("error %v", err)
	}
}

func TestParseAccepts(t *testing.T) {
	for _, c := range []struct {
		name string
		body string
		msgs int
	}{
		{"no entries", `{"object":"whatsapp_business_account"}`, 0},
		{"empty entries", `{"object":"whatsapp_business_account","entry":[]}`, 0},
		{"empty change", `{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{}}]}]}`, 0},
		{"null value", `{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":null}]}]}`, 0},
		{"other fields skipped", `{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[
			{"field":"account_update","value":{"event":"x","messages":"not this shape"}},
			{"field":"smb_message_echoes","value":{"message_echoes":[{"id":"w"}]}},
			{"field":"message_template_status_update","value":[1,2]}]}]}`, 0},
		{"unknown properties", `{"object":"whatsapp_business_account","x":{"y":[1]},"entry":[{"id":"1","time":1,"changes":[{"field":"messages","extra":true,"value":{
			"new_thing":[{}],"metadata":{"display_phone_number":"918047123456","phone_number_id":"1","more":1},
			"messages":[{"id":"w","timestamp":"1763095530","type":"text","text":{"body":"x","preview":{}},"later":"yes"}]}}]}]}`, 1},
		{"timestamp as a number", `{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{
			"messages":[{"id":"w","timestamp":1763095530,"type":"text","text":{"body":"x"}}]}}]}]}`, 1},
		{"no timestamp", `{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{
			"messages":[{"id":"w","type":"text","text":{"body":"x"}}]}}]}]}`, 1},
	} {
		n, err := Parse([]byte(c.body))
		if err != nil || len(n.Messages) != c.msgs {
			t.Errorf("%s: %d messages, error %v; want %d messages", c.name, len(n.Messages), err, c.msgs)
		}
	}
}

// Meta's bodies are up to 3 MB (PROVIDERS.md §1.2).
func TestParseThreeMegabytes(t *testing.T) {
	const limit = 3 << 20
	var b bytes.Buffer
	b.WriteString(`{"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{"metadata":{"display_phone_number":"918047123456","phone_number_id":"1"},"messages":[`)
	const tail = `]}}]}]}`
	count := 0
	for {
		m := fmt.Sprintf(`{"from":"919876543210","id":"wamid.%08d","timestamp":"1763095530","type":"text","text":{"body":"%s"}}`, count, strings.Repeat("हि", 40))
		if b.Len()+len(m)+1+len(tail) > limit {
			break
		}
		if count > 0 {
			b.WriteByte(',')
		}
		b.WriteString(m)
		count++
	}
	b.WriteString(tail)
	if b.Len() < limit-512 {
		t.Fatalf("built only %d bytes", b.Len())
	}
	n := mustParse(t, b.Bytes())
	if len(n.Messages) != count || n.Messages[count-1].ID != fmt.Sprintf("wamid.%08d", count-1) {
		t.Fatalf("%d messages; want %d", len(n.Messages), count)
	}
}

func TestBusinessNumberE164(t *testing.T) {
	for in, want := range map[string]string{
		"918047123456":     "+918047123456",
		"+918047123456":    "+918047123456",
		" 91 80471-23456 ": "+918047123456",
		"1 (555) 078-3881": "+15550783881",
		"":                 "",
		"unknown":          "unknown",
		"+":                "+",
		"1234567890123456": "1234567890123456",
		"91804712345x":     "91804712345x",
	} {
		if got := e164(in); got != want {
			t.Errorf("e164(%q) = %q; want %q", in, got, want)
		}
	}
}
