package requests

import (
	"context"

	"github.com/jodo-org/jodo/internal/sms"
	"github.com/jodo-org/jodo/internal/smstext"
	"github.com/jodo-org/jodo/internal/store"
)

// OutboxSMS is an SMS that queues the code, in the registered request-code
// template of the person's language, as a requested SMS to them through
// provider (the outbox keeps only the text with the code masked once it
// is sent); wake, if set, tells the sender.
func OutboxSMS(provider string, templateIDs map[string]string, wake func()) SMS {
	return func(ctx context.Context, tx *store.Tx, phone, code, lang string) error {
		if lang != "en" {
			lang = "hi"
		}
		id := templateIDs[lang]
		if id == "" {
			id = "request_code_" + lang
		}
		tmpl := sms.Template{ID: id, Text: smstext.RequestCode[lang]}
		body, err := tmpl.Render(code)
		if err != nil {
			return err
		}
		summary, err := tmpl.Render(store.Masked)
		if err != nil {
			return err
		}
		person, err := store.FindByContact(ctx, tx, store.ContactPhone, phone)
		if err != nil {
			return err
		}
		_, err = store.EnqueueMessages(ctx, tx, []store.OutboxMessage{{PersonID: person, Channel: store.ChannelSMS, Provider: provider,
			Class: store.ClassRequested, Template: id, Body: body, Summary: summary, To: phone}})
		if err == nil && wake != nil {
			wake()
		}
		return err
	}
}
