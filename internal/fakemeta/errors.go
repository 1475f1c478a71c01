package fakemeta

import (
	"crypto/rand"
	"encoding/base64"
	"fmt"
	"net/http"
)

// graphErrorInfo is how Graph words one error code and the HTTP status it
// comes with. The 130429, 131047 and 131056 texts are PROVIDERS.md's sample
// bodies; the others follow Meta's error-code table, and the statuses its
// "HTTP Status Code" column (400 unless listed otherwise).
type graphErrorInfo struct {
	status  int
	title   string
	details string
}

var graphErrors = map[int]graphErrorInfo{
	4:      {http.StatusTooManyRequests, "Application request limit reached", "The app has reached its API call rate limit."},
	100:    {http.StatusBadRequest, "Invalid parameter", "The request included one or more unsupported or misspelled parameters."},
	190:    {http.StatusUnauthorized, "Access token has expired", "Your access token has expired."},
	368:    {http.StatusForbidden, "Temporarily blocked for policies violations", "The WhatsApp Business Account associated with the app has been restricted or disabled for violating a platform policy."},
	80007:  {http.StatusBadRequest, "Rate limit issues", "The WhatsApp Business Account has reached its rate limit."},
	130429: {http.StatusBadRequest, "Rate limit hit", "Cloud API message throughput has been reached."},
	131000: {http.StatusInternalServerError, "Something went wrong", "Message failed to send due to an unknown error."},
	131026: {http.StatusBadRequest, "Message undeliverable", "Unable to deliver message. Reasons can include: the recipient phone number is not a WhatsApp phone number, or the recipient uses an old WhatsApp version."},
	131047: {http.StatusBadRequest, "Re-engagement message", "Message failed to send because more than 24 hours have passed since the customer last replied to this number."},
	131048: {http.StatusBadRequest, "Spam rate limit hit", "Message failed to send because there are restrictions on how many messages can be sent from this phone number. This may be because too many previous messages were blocked or flagged as spam."},
	131049: {http.StatusBadRequest, "This message was not delivered to maintain healthy ecosystem engagement.", "In order to maintain a healthy ecosystem engagement, the message failed to be delivered."},
	131050: {http.StatusBadRequest, "Unable to deliver the message. This recipient has chosen to stop receiving marketing messages on WhatsApp from your business", "Unable to deliver the message. This recipient has chosen to stop receiving marketing messages on WhatsApp from your business."},
	131051: {http.StatusBadRequest, "Unsupported message type", "Unsupported message type."},
	131056: {http.StatusBadRequest, "(Business Account, Consumer Account) pair rate limit hit", "Too many messages sent from the sender phone number to the same recipient phone number in a short period of time."},
	131057: {http.StatusBadRequest, "Account in maintenance mode", "Business Account is in maintenance mode."},
	132000: {http.StatusBadRequest, "Number of parameters does not match the expected number of params", "The number of variable parameter values included in the request did not match the number of variable parameters defined in the template."},
	132001: {http.StatusBadRequest, "Template does not exist", "The template does not exist in the specified language or the template has not been approved."},
}

// errorInfo is code's wording, or a plain one for a code not in the table.
func errorInfo(code int) graphErrorInfo {
	if e, ok := graphErrors[code]; ok {
		return e
	}
	return graphErrorInfo{http.StatusBadRequest, fmt.Sprintf("Error %d", code), ""}
}

type errorAnswer struct {
	Error errorObject `json:"error"`
}

type errorObject struct {
	Message   string     `json:"message"`
	Type      string     `json:"type"`
	Code      int        `json:"code"`
	ErrorData *errorData `json:"error_data,omitempty"`
	TraceID   string     `json:"fbtrace_id"`
}

type errorData struct {
	MessagingProduct string `json:"messaging_product,omitempty"`
	Details          string `json:"details"`
}

// errorBody is Graph's synchronous error for code; details replaces the
// table's when set.
func errorBody(code int, details string) errorAnswer {
	e := errorInfo(code)
	if details == "" {
		details = e.details
	}
	return errorAnswer{errorObject{Message: fmt.Sprintf("(#%d) %s", code, e.title), Type: "OAuthException", Code: code,
		ErrorData: &errorData{MessagingProduct: "whatsapp", Details: details}, TraceID: traceID()}}
}

// invalidToken is Graph's answer to a missing or wrong access token.
func invalidToken() errorAnswer {
	return errorAnswer{errorObject{Message: "Invalid OAuth access token - Cannot parse access token",
		Type: "OAuthException", Code: 190, TraceID: traceID()}}
}

// unknownObject is Graph's answer to a phone_number_id the token cannot use.
func unknownObject(id string) errorAnswer {
	return errorAnswer{errorObject{Message: fmt.Sprintf("Unsupported post request. Object with ID '%s' does not exist, "+
		"cannot be loaded due to missing permissions, or does not support this operation.", id),
		Type: "GraphMethodException", Code: 100, TraceID: traceID()}}
}

func traceID() string {
	b := make([]byte, 17)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
