package fakemeta

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"

	"github.com/jodo-org/jodo/internal/whatsapp"
)

// ProfileName is the WhatsApp profile name on every inbound message.
const ProfileName = "Priya Sharma"

// PostStatus posts a signed status webhook (sent, delivered, read, or failed
// with errCode) for the accepted message msgID to url.
func (f *FakeGraph) PostStatus(ctx context.Context, url, appSecret, msgID, status string, errCode int) error {
	body, err := f.StatusBody(msgID, status, errCode)
	if err != nil {
		return err
	}
	return PostWebhook(ctx, url, appSecret, body)
}

// StatusBody is the status webhook PostStatus posts, for a test that posts
// it itself (twice, tampered, out of order …). errCode is required for
// "failed" and refused otherwise.
func (f *FakeGraph) StatusBody(msgID, status string, errCode int) ([]byte, error) {
	rec, ok := f.sent(msgID)
	if !ok {
		return nil, fmt.Errorf("fake graph: no accepted message %q", msgID)
	}
	display, _ := f.display(rec.PhoneNumberID)
	return statusBody(rec, display, status, errCode, time.Now())
}

// PostText posts a signed inbound text message from fromWaID to the
// business number, as Meta would, and returns its wamid.
func (f *FakeGraph) PostText(ctx context.Context, url, appSecret, displayNumber, phoneNumberID, fromWaID, text string) (string, error) {
	wamid := NewWAMID(fromWaID, true)
	body := textBody(displayNumber, phoneNumberID, fromWaID, wamid, text, time.Now())
	return wamid, PostWebhook(ctx, url, appSecret, body)
}

// PostWebhook posts body to url with Meta's headers, signed with appSecret,
// and wants a 2xx answer.
func PostWebhook(ctx context.Context, url, appSecret string, body []byte) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("fake graph: webhook: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "facebookexternalua")
	req.Header.Set("X-Hub-Signature-256", Signature(appSecret, body))
	resp, err := (&http.Client{Timeout: 10 * time.Second}).Do(req)
	if err != nil {
		return fmt.Errorf("fake graph: webhook: %w", err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("fake graph: webhook to %s: HTTP %d", url, resp.StatusCode)
	}
	return nil
}

// Signature is X-Hub-Signature-256 for body: "sha256=" and the hex
// HMAC-SHA256 of the raw bytes under the app secret.
func Signature(appSecret string, body []byte) string {
	return whatsapp.Signature([]byte(appSecret), body)
}

// NewWAMID is a fresh message id laid out like Meta's: base64 of the user's
// number and a random upper-case hex key, the key one byte shorter and
// marked 0x11 for messages sent by the business, 0x12 for the user's.
func NewWAMID(waID string, inbound bool) string {
	kind, n := byte(0x11), 9
	if inbound {
		kind, n = 0x12, 10
	}
	k := make([]byte, n)
	_, _ = rand.Read(k)
	key := strings.ToUpper(hex.EncodeToString(k))
	b := append([]byte{0x1c, 0x18, byte(len(waID))}, waID...)
	b = append(b, 0x15, 0x02, 0x00, kind, 0x18, byte(len(key)))
	b = append(append(b, key...), 0x00)
	return "wamid." + base64.StdEncoding.EncodeToString(b)
}

// metaJSON marshals v the way Meta's signed bodies look on the wire:
// compact, non-ASCII as lower-case \u escapes and "/" as "\/", so that a
// receiver that re-encodes before checking the signature fails here too.
func metaJSON(v any) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic(err) // only the package's own webhook types come here
	}
	var out bytes.Buffer
	for _, r := range strings.TrimSuffix(buf.String(), "\n") {
		switch {
		case r == '/':
			out.WriteString(`\/`)
		case r < 0x80:
			out.WriteRune(r)
		default:
			for _, u := range utf16.Encode([]rune{r}) {
				fmt.Fprintf(&out, `\u%04x`, u)
			}
		}
	}
	return out.Bytes()
}

func unix(t time.Time) string { return strconv.FormatInt(t.Unix(), 10) }

// TextBody is the webhook body of an inbound text message, as PostText
// sends it, for tests that post it themselves (several times, say).
func TextBody(displayNumber, phoneNumberID, fromWaID, wamid, text string, at time.Time) []byte {
	return textBody(displayNumber, phoneNumberID, fromWaID, wamid, text, at)
}

// TapBody is the webhook body of a tap on a reply button (list false) or a
// list row (list true) we sent, its id and title as we gave them.
func TapBody(displayNumber, phoneNumberID, fromWaID, wamid, id, title string, list bool, at time.Time) []byte {
	m := inMessage{From: fromWaID, ID: wamid, Timestamp: unix(at), Type: "interactive",
		Interactive: &inInteractive{Type: "button_reply", ButtonReply: &inReply{ID: id, Title: title}}}
	if list {
		m.Interactive = &inInteractive{Type: "list_reply", ListReply: &inReply{ID: id, Title: title}}
	}
	return inboundBody(displayNumber, phoneNumberID, m)
}

// LocationBody is the webhook body of a shared location.
func LocationBody(displayNumber, phoneNumberID, fromWaID, wamid string, lat, lon float64, at time.Time) []byte {
	return inboundBody(displayNumber, phoneNumberID, inMessage{From: fromWaID, ID: wamid, Timestamp: unix(at), Type: "location",
		Location: &inLocation{Latitude: lat, Longitude: lon}})
}

// StickerBody is the webhook body of a sticker: something a bot cannot read.
func StickerBody(displayNumber, phoneNumberID, fromWaID, wamid string, at time.Time) []byte {
	return inboundBody(displayNumber, phoneNumberID, inMessage{From: fromWaID, ID: wamid, Timestamp: unix(at), Type: "sticker",
		Sticker: &inMedia{MimeType: "image/webp", SHA256: "c2t0ZXN0", ID: "1234567890", Animated: false}})
}
