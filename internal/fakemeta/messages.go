package fakemeta

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"time"
)

// messages answers POST /{version}/{phone_number_id}/messages: refusals
// first (token, number, shape), then a queued fault, else acceptance.
func (f *FakeGraph) messages(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	rec := decode(r, body)
	rec.Authorized = r.Header.Get("Authorization") == "Bearer "+f.token
	_, known := f.display(rec.PhoneNumberID)
	switch problem := malformed(rec); {
	case !rec.Authorized:
		f.finish(w, r, rec, Fault{}, http.StatusUnauthorized, invalidToken())
	case !known:
		f.finish(w, r, rec, Fault{}, http.StatusBadRequest, unknownObject(rec.PhoneNumberID))
	case problem != "":
		f.finish(w, r, rec, Fault{}, http.StatusBadRequest, errorBody(100, problem))
	default:
		f.answer(w, r, rec, f.nextFault())
	}
}

// answer handles a well-formed request under fault ft.
func (f *FakeGraph) answer(w http.ResponseWriter, r *http.Request, rec Request, ft Fault) {
	if ft.Code != 0 {
		status := ft.Status
		if status == 0 {
			status = errorInfo(ft.Code).status
		}
		f.finish(w, r, rec, ft, status, errorBody(ft.Code, ""))
		return
	}
	if ft.Status != 0 && ft.Status != http.StatusOK {
		f.finish(w, r, rec, ft, ft.Status, []byte(http.StatusText(ft.Status)+"\n"))
		return
	}
	if rec.Type == "read" {
		f.finish(w, r, rec, ft, http.StatusOK, map[string]bool{"success": true})
		return
	}
	rec.MessageID = NewWAMID(waID(rec.To), false)
	a := sendAnswer{MessagingProduct: "whatsapp", Contacts: []sendContact{{Input: rec.To, WaID: waID(rec.To)}},
		Messages: []sentMessage{{ID: rec.MessageID}}}
	if rec.Type == "template" {
		a.Messages[0].MessageStatus = "accepted"
	}
	f.finish(w, r, rec, ft, http.StatusOK, a)
}

// finish records rec, holds the answer for ft.Delay, then drops the
// connection or writes v: JSON, or plain bytes.
func (f *FakeGraph) finish(w http.ResponseWriter, r *http.Request, rec Request, ft Fault, status int, v any) {
	rec.HTTPStatus = status
	if e, ok := v.(errorAnswer); ok {
		rec.ErrorCode = e.Error.Code
	}
	if ft.Drop {
		rec.HTTPStatus = 0
	}
	f.record(rec)
	if rec.MessageID != "" && rec.HTTPStatus == http.StatusOK {
		f.accepted(rec)
	}
	if !f.hold(r, ft.Delay) {
		return
	}
	if ft.Drop {
		if conn, _, err := w.(http.Hijacker).Hijack(); err == nil {
			conn.Close()
		}
		return
	}
	if b, ok := v.([]byte); ok {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(status)
		_, _ = w.Write(b)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// hold waits d; false when the client left or the fake closed first.
func (f *FakeGraph) hold(r *http.Request, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
	case <-f.done:
	}
	return false
}

type sendAnswer struct {
	MessagingProduct string        `json:"messaging_product"`
	Contacts         []sendContact `json:"contacts"`
	Messages         []sentMessage `json:"messages"`
}

type sendContact struct {
	Input string `json:"input"`
	WaID  string `json:"wa_id"`
}

type sentMessage struct {
	ID            string `json:"id"`
	MessageStatus string `json:"message_status,omitempty"`
}

func decode(r *http.Request, body []byte) Request {
	rec := Request{Version: r.PathValue("version"), PhoneNumberID: r.PathValue("phoneNumberID"), Body: body, At: time.Now()}
	if json.Unmarshal(body, &rec.JSON) != nil {
		rec.JSON = nil
		return rec
	}
	rec.To, _ = rec.JSON["to"].(string)
	rec.Type, _ = rec.JSON["type"].(string)
	if s, _ := rec.JSON["status"].(string); s == "read" && rec.Type == "" {
		rec.Type = "read"
	}
	if c, ok := rec.JSON["context"].(map[string]any); ok {
		rec.ReplyTo, _ = c["message_id"].(string)
	}
	return rec
}

// waID is how WhatsApp writes the recipient back: digits, no "+".
func waID(to string) string {
	return strings.TrimPrefix(to, "+")
}
