package requests

import (
	"context"

	"github.com/jodo-org/jodo/internal/signin"
	"github.com/jodo-org/jodo/internal/smstext"
	"github.com/jodo-org/jodo/internal/store"
)

// OutboxSMS is an SMS that queues the code, in the registered request-code
// template of the person's language with what the code confirms
// (smstext.RequestAction of the request's kind), as a requested SMS to
// them through provider, as sign-in's codes go (signin.CodeSMS); wake, if
// set, tells the sender.
func OutboxSMS(provider string, templateIDs map[string]string, wake func()) SMS {
	send := signin.CodeSMSWith(provider, "request_code", smstext.RequestCode, templateIDs, wake)
	return func(ctx context.Context, tx *store.Tx, phone, code, kind, lang string) error {
		if lang != "en" {
			lang = "hi"
		}
		return send(ctx, tx, phone, lang, code, smstext.RequestAction[kind][lang])
	}
}
