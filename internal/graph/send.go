package graph

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"

	"github.com/jodo-org/jodo/internal/send"
)

// SendText sends a free-form text (≤ 4096 characters), allowed only inside
// the user's 24-hour window. Options: ReplyTo, PreviewURL.
func (c *Client) SendText(ctx context.Context, phoneNumberID, to, body string, opts ...Option) send.Result {
	m, err := textMessage(to, body, opts)
	return c.post(ctx, phoneNumberID, m, err)
}

// SendButtons sends up to 3 reply buttons (titles ≤ 20 characters, unique)
// under body (≤ 1024). Options: ReplyTo, Header, Footer.
func (c *Client) SendButtons(ctx context.Context, phoneNumberID, to, body string, buttons []Button, opts ...Option) send.Result {
	m, err := buttonsMessage(to, body, buttons, opts)
	return c.post(ctx, phoneNumberID, m, err)
}

// SendList sends a list behind a menu button labelled buttonText (≤ 20):
// at most 10 rows across all sections, row titles ≤ 24 and descriptions
// ≤ 72 characters. Options: ReplyTo, Header, Footer.
func (c *Client) SendList(ctx context.Context, phoneNumberID, to, body, buttonText string, sections []Section, opts ...Option) send.Result {
	m, err := listMessage(to, body, buttonText, sections, opts)
	return c.post(ctx, phoneNumberID, m, err)
}

// SendTemplate sends the approved template name in language lang (e.g.
// "en", "hi"), params filling its body variables in order. The only kind of
// message allowed outside the 24-hour window. Options: ReplyTo,
// QuickReplyPayload.
func (c *Client) SendTemplate(ctx context.Context, phoneNumberID, to, name, lang string, params []string, opts ...Option) send.Result {
	m, err := templateMessage(to, name, lang, params, opts)
	return c.post(ctx, phoneNumberID, m, err)
}

// post sends body to phoneNumberID's messages edge, unless building it
// failed.
func (c *Client) post(ctx context.Context, phoneNumberID string, body any, invalid error) send.Result {
	switch {
	case invalid != nil:
		return send.Result{Outcome: send.Rejected, Err: invalid}
	case !allDigits(phoneNumberID):
		return send.Result{Outcome: send.Rejected, Err: fmt.Errorf("graph: %w: phone number id %q is not numeric", ErrInvalid, phoneNumberID)}
	case c.token == "":
		return send.Result{Outcome: send.Rejected, Err: fmt.Errorf("graph: no access token configured")}
	}
	b, err := json.Marshal(body)
	if err != nil {
		return send.Result{Outcome: send.Rejected, Err: fmt.Errorf("graph: encoding the message: %w", err)}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+"/"+url.PathEscape(phoneNumberID)+"/messages", bytes.NewReader(b))
	if err != nil {
		return send.Result{Outcome: send.Rejected, Err: fmt.Errorf("graph: %w", err)}
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Content-Type", "application/json")
	return redact(classify(do(c.http, req)), c.token)
}
