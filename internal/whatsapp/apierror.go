package whatsapp

import (
	"encoding/json"
	"fmt"
)

// APIError is the error body the Graph API returns for a failed call:
//
//	{"error":{"message":"(#130429) Rate limit hit","type":"OAuthException","code":130429,
//	  "error_data":{"messaging_product":"whatsapp","details":"…"},"fbtrace_id":"…"}}
type APIError struct {
	Code      int
	Subcode   int // error_subcode: deprecated since v16, usually 0
	Type      string
	Message   string
	Details   string // error_data.details: the useful explanation
	FBTraceID string // quote it to Meta support
}

func (e APIError) Error() string {
	return fmt.Sprintf("whatsapp: graph API error %d (%s): %s", e.Code, e.Type, e.Message)
}

// Class says what the error asks of the sender.
func (e APIError) Class() ErrorClass { return Classify(e.Code) }

// ParseError reads a Graph API error body. A body that is not JSON or has no
// error object with a code is an error wrapping ErrMalformed; the caller then
// has only the HTTP status to go on.
func ParseError(body []byte) (APIError, error) {
	var in struct {
		Error *struct {
			Message      string `json:"message"`
			Type         string `json:"type"`
			Code         *int   `json:"code"`
			ErrorSubcode int    `json:"error_subcode"`
			ErrorData    struct {
				Details string `json:"details"`
			} `json:"error_data"`
			FBTraceID string `json:"fbtrace_id"`
		} `json:"error"`
	}
	if err := json.Unmarshal(body, &in); err != nil {
		return APIError{}, malformed("not a Graph API error body: %v", err)
	}
	if in.Error == nil || in.Error.Code == nil {
		return APIError{}, malformed("no error object with a code")
	}
	return APIError{
		Code:      *in.Error.Code,
		Subcode:   in.Error.ErrorSubcode,
		Type:      in.Error.Type,
		Message:   in.Error.Message,
		Details:   in.Error.ErrorData.Details,
		FBTraceID: in.Error.FBTraceID,
	}, nil
}
