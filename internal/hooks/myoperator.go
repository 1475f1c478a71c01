package hooks

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/jodo-org/jodo/internal/intake"
)

// myOperator serves MyOperator's after-call webhook. Its call log names no
// called number, so the channel whose secret is in the URL picks the drive.
func (h *Hooks) myOperator(w http.ResponseWriter, r *http.Request) {
	number, found := h.channel(w, r, "myoperator")
	if !found {
		return
	}
	body, err := readBody(w, r)
	if err != nil {
		h.malformed(w, r, "myoperator", body, err)
		return
	}
	call, err := parseMyOperator(r, body)
	if err != nil {
		h.malformed(w, r, "myoperator", body, err)
		return
	}
	h.record(w, r, call, body, number, ok)
}

// parseMyOperator reads the call log from the form field "myoperator", or,
// as newer accounts send it, as the JSON body itself.
func parseMyOperator(r *http.Request, body []byte) (intake.Call, error) {
	if strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
		return intake.ParseMyOperatorJSON(body)
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return intake.Call{}, err
	}
	return intake.ParseMyOperator(form)
}
