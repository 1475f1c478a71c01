package requests

import (
	"github.com/jodo-org/jodo/internal/signin"
	"github.com/jodo-org/jodo/internal/smstext"
)

// OutboxSMS is an SMS that queues the code, in the registered request-code
// template of the person's language, as a requested SMS to them through
// provider, as sign-in's codes go (signin.CodeSMS); wake, if set, tells
// the sender.
func OutboxSMS(provider string, templateIDs map[string]string, wake func()) SMS {
	return signin.CodeSMS(provider, "request_code", smstext.RequestCode, templateIDs, wake)
}
