package graph

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/jodo-org/jodo/internal/fakemeta"
	"github.com/jodo-org/jodo/internal/send"
)

const (
	testToken = "EAAtest-token-do-not-log"
	user      = "919876543210"
	inbound   = "wamid.HBgMOTE5ODc2NTQzMjEwFQIAEhgUM0E2RjFDMkI5RDRFOEE3QjVDMTAA"
)

func testClient(base string, timeout time.Duration) *Client {
	return New(Config{BaseURL: base, Token: testToken, HTTP: &http.Client{Timeout: timeout}})
}

var languages = []Section{
	{Title: "Indian languages", Rows: []Row{
		{ID: "lang_hi", Title: "हिन्दी (Hindi)", Description: "Continue in Hindi"},
		{ID: "lang_ta", Title: "தமிழ் (Tamil)", Description: "Continue in Tamil"},
	}},
	{Title: "Other", Rows: []Row{{ID: "lang_en", Title: "English", Description: "Continue in English"}}},
}

var helpButtons = []Button{
	{ID: "callback_request", Title: "Call me back"},
	{ID: "order_status", Title: "Order status"},
	{ID: "talk_agent", Title: "Chat with agent"},
}

// Every request the client builds is, decoded, the sample of PROVIDERS.md
// §1.6, sent to the phone number's messages edge with the Bearer token.
func TestRequestsMatchSamples(t *testing.T) {
	pid := fakemeta.PhoneNumberID
	for _, c := range []struct {
		sample string
		send   func(context.Context, *Client) send.Result
	}{
		{"whatsapp_send_text_request.json", func(ctx context.Context, c *Client) send.Result {
			return c.SendText(ctx, pid, user, "Thanks for calling ACME! We received your missed call at 10:15 AM. Reply HELP to chat with us.", PreviewURL(false))
		}},
		{"whatsapp_send_reply_with_context_request.json", func(ctx context.Context, c *Client) send.Result {
			return c.SendText(ctx, pid, user, "Sure — here are the details you asked for.", ReplyTo(inbound))
		}},
		{"whatsapp_send_buttons_request.json", func(ctx context.Context, c *Client) send.Result {
			return c.SendButtons(ctx, pid, user, "We got your missed call. How can we help?", helpButtons,
				Header("ACME Support"), Footer("Reply STOP to opt out"))
		}},
		{"whatsapp_send_list_request.json", func(ctx context.Context, c *Client) send.Result {
			return c.SendList(ctx, pid, user, "Which language do you prefer?", "Languages", languages,
				Header("Choose language"), Footer("ACME"))
		}},
		{"whatsapp_send_template_request.json", func(ctx context.Context, c *Client) send.Result {
			return c.SendTemplate(ctx, pid, user, "missed_call_followup", "en", []string{"Priya", "14 Nov, 10:15 AM"},
				QuickReplyPayload("callback_request"))
		}},
	} {
		t.Run(c.sample, func(t *testing.T) {
			g := fakemeta.NewFakeGraph(testToken)
			defer g.Close()
			res := c.send(context.Background(), testClient(g.BaseURL, 5*time.Second))
			got := g.Requests()
			if res.Outcome != send.Accepted || res.Err != nil || len(got) != 1 {
				t.Fatalf("result %+v, fake received %d", res, len(got))
			}
			r := got[0]
			if r.Version != fakemeta.Version || r.PhoneNumberID != pid || !r.Authorized || r.MessageID != res.ProviderID {
				t.Errorf("request %+v, result id %q", r, res.ProviderID)
			}
			if want := readSample(t, c.sample); !reflect.DeepEqual(r.JSON, want) {
				t.Errorf("sent\n%s\nwant\n%s", r.Body, mustJSON(want))
			}
		})
	}
}

func readSample(t *testing.T, name string) map[string]any {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	var v map[string]any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	return v
}

func mustJSON(v any) []byte {
	b, _ := json.MarshalIndent(v, "", "  ")
	return b
}

// Messages over a documented limit, or with options that do not fit, are
// refused before any request is made.
func TestInvalidMessagesMakeNoRequest(t *testing.T) {
	pid := fakemeta.PhoneNumberID
	four := append(append([]Button{}, helpButtons...), Button{ID: "more", Title: "More"})
	var eleven []Section
	for i := range 11 {
		eleven = append(eleven, Section{Title: "s", Rows: []Row{{ID: string(rune('a' + i)), Title: "row"}}})
	}
	elevenRows := []Section{{Title: "a", Rows: make([]Row, 6)}, {Title: "b", Rows: make([]Row, 5)}}
	for i := range elevenRows {
		for j := range elevenRows[i].Rows {
			elevenRows[i].Rows[j] = Row{ID: string(rune('a'+i)) + string(rune('a'+j)), Title: "row"}
		}
	}
	row := func(r Row) []Section { return []Section{{Rows: []Row{r}}} }
	buttons := func(c *Client, b []Button, opts ...Option) send.Result {
		return c.SendButtons(context.Background(), pid, user, "How can we help?", b, opts...)
	}
	list := func(c *Client, label string, s []Section, opts ...Option) send.Result {
		return c.SendList(context.Background(), pid, user, "Pick one", label, s, opts...)
	}
	text := func(c *Client, body string, opts ...Option) send.Result {
		return c.SendText(context.Background(), pid, user, body, opts...)
	}
	tmpl := func(c *Client, params []string, opts ...Option) send.Result {
		return c.SendTemplate(context.Background(), pid, user, "missed_call_followup", "en", params, opts...)
	}
	for name, try := range map[string]func(*Client) send.Result{
		"4 buttons":          func(c *Client) send.Result { return buttons(c, four) },
		"no buttons":         func(c *Client) send.Result { return buttons(c, nil) },
		"button title of 21": func(c *Client) send.Result { return buttons(c, []Button{{ID: "x", Title: strings.Repeat("a", 21)}}) },
		"repeated button title": func(c *Client) send.Result {
			return buttons(c, []Button{{ID: "x", Title: "Yes"}, {ID: "y", Title: "Yes"}})
		},
		"button without id": func(c *Client) send.Result { return buttons(c, []Button{{Title: "Yes"}}) },
		"header of 61":      func(c *Client) send.Result { return buttons(c, helpButtons, Header(strings.Repeat("h", 61))) },
		"buttons body of 1025": func(c *Client) send.Result {
			return c.SendButtons(context.Background(), pid, user, strings.Repeat("b", 1025), helpButtons)
		},
		"preview on buttons":    func(c *Client) send.Result { return buttons(c, helpButtons, PreviewURL(true)) },
		"11 rows in 2 sections": func(c *Client) send.Result { return list(c, "Choose", elevenRows) },
		"11 sections":           func(c *Client) send.Result { return list(c, "Choose", eleven) },
		"row title of 25": func(c *Client) send.Result {
			return list(c, "Choose", row(Row{ID: "x", Title: strings.Repeat("r", 25)}))
		},
		"description of 73": func(c *Client) send.Result {
			return list(c, "Choose", row(Row{ID: "x", Title: "r", Description: strings.Repeat("d", 73)}))
		},
		"list label of 21": func(c *Client) send.Result { return list(c, strings.Repeat("l", 21), languages) },
		"untitled of 2 sections": func(c *Client) send.Result {
			return list(c, "Choose", []Section{languages[0], {Rows: languages[1].Rows}})
		},
		"repeated row id": func(c *Client) send.Result {
			return list(c, "Choose", []Section{{Rows: []Row{{ID: "x", Title: "a"}, {ID: "x", Title: "b"}}}})
		},
		"empty section":           func(c *Client) send.Result { return list(c, "Choose", []Section{{Title: "a"}}) },
		"empty text":              func(c *Client) send.Result { return text(c, "") },
		"text of 4097":            func(c *Client) send.Result { return text(c, strings.Repeat("t", 4097)) },
		"header on text":          func(c *Client) send.Result { return text(c, "hi", Header("h")) },
		"payload on text":         func(c *Client) send.Result { return text(c, "hi", QuickReplyPayload("p")) },
		"reply-to of 129":         func(c *Client) send.Result { return text(c, "hi", ReplyTo(strings.Repeat("w", 129))) },
		"empty template param":    func(c *Client) send.Result { return tmpl(c, []string{"Priya", ""}) },
		"template param newline":  func(c *Client) send.Result { return tmpl(c, []string{"Priya\nSharma"}) },
		"empty quick reply":       func(c *Client) send.Result { return tmpl(c, nil, QuickReplyPayload("")) },
		"footer on template":      func(c *Client) send.Result { return tmpl(c, nil, Footer("f")) },
		"template without name":   func(c *Client) send.Result { return c.SendTemplate(context.Background(), pid, user, "", "en", nil) },
		"recipient not a number":  func(c *Client) send.Result { return c.SendText(context.Background(), pid, "Priya", "hi") },
		"phone number id as path": func(c *Client) send.Result { return c.SendText(context.Background(), "1/../2", user, "hi") },
	} {
		g := fakemeta.NewFakeGraph(testToken)
		res := try(testClient(g.BaseURL, 5*time.Second))
		if res.Outcome != send.Rejected || !errors.Is(res.Err, ErrInvalid) || res.Code != 0 {
			t.Errorf("%s: %+v, want rejected as invalid", name, res)
		}
		if n := len(g.Requests()); n != 0 {
			t.Errorf("%s: the fake received %d requests", name, n)
		}
		g.Close()
	}
}

// Limits count characters, not bytes, and are inclusive.
func TestLimitsAreInclusiveAndInCharacters(t *testing.T) {
	g := fakemeta.NewFakeGraph(testToken)
	defer g.Close()
	c := testClient(g.BaseURL, 5*time.Second)
	pid := fakemeta.PhoneNumberID
	hindi := strings.Repeat("हि", 12) // 24 runes, 72 bytes
	var ten []Section
	for i := range 10 {
		ten = append(ten, Section{Title: "s", Rows: []Row{{ID: string(rune('a' + i)), Title: hindi, Description: strings.Repeat("d", 72)}}})
	}
	three := []Button{{ID: "a", Title: strings.Repeat("a", 20)}, {ID: "b", Title: strings.Repeat("b", 20)}, {ID: "c", Title: "c"}}
	for name, res := range map[string]send.Result{
		"10 sections of a row": c.SendList(context.Background(), pid, user, "Pick one", strings.Repeat("l", 20), ten),
		"3 buttons of 20":      c.SendButtons(context.Background(), pid, user, strings.Repeat("b", 1024), three, Header(strings.Repeat("h", 60))),
		"text of 4096":         c.SendText(context.Background(), pid, "+"+user, strings.Repeat("t", 4096)),
		"template, no params":  c.SendTemplate(context.Background(), pid, user, "hello_world", "en_US", nil),
	} {
		if res.Outcome != send.Accepted {
			t.Errorf("%s: %+v", name, res)
		}
	}
	for _, r := range g.Requests() {
		if r.Type == "template" {
			if _, ok := r.JSON["template"].(map[string]any)["components"]; ok {
				t.Errorf("a template without parameters sent components: %s", r.Body)
			}
		}
	}
}

func TestNoTokenMakesNoRequest(t *testing.T) {
	g := fakemeta.NewFakeGraph(testToken)
	defer g.Close()
	res := New(Config{BaseURL: g.BaseURL}).SendText(context.Background(), fakemeta.PhoneNumberID, user, "hi")
	if res.Outcome != send.Rejected || len(g.Requests()) != 0 {
		t.Errorf("%+v, fake received %d", res, len(g.Requests()))
	}
}

func TestDefaultBaseURL(t *testing.T) {
	if c := New(Config{}); c.base != DefaultBaseURL || c.http.Timeout == 0 {
		t.Errorf("base %q, timeout %v", c.base, c.http.Timeout)
	}
}
