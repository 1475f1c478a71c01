package signin

import (
	"context"

	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/sms"
	"github.com/jodo-org/jodo/internal/smstext"
	"github.com/jodo-org/jodo/internal/store"
)

// OutboxSMS is a Config.SMS that queues the code, in the registered
// sign-in template of the person's language, as a requested SMS through
// provider; wake, if set, tells the sender (it settles before sending, so
// the transaction has committed by then).
func OutboxSMS(provider string, templateIDs map[string]string, wake func()) func(ctx context.Context, tx *store.Tx, phone, code, lang string) error {
	return CodeSMS(provider, "signin", smstext.SignIn, templateIDs, wake)
}

// CodeSMS queues a one-time code as OutboxSMS does, in the template texts
// (smstext, by language) registered under templateIDs, else (the log
// provider) under name and the language ("signin_hi"). The outbox keeps
// the text with the code masked once it is sent.
func CodeSMS(provider, name string, texts, templateIDs map[string]string, wake func()) func(ctx context.Context, tx *store.Tx, phone, code, lang string) error {
	send := CodeSMSWith(provider, name, texts, templateIDs, wake)
	return func(ctx context.Context, tx *store.Tx, phone, code, lang string) error {
		return send(ctx, tx, phone, lang, code)
	}
}

// CodeSMSWith is CodeSMS for a template with more variables after the
// code (vars: the code first); only the code is masked once it is sent.
func CodeSMSWith(provider, name string, texts, templateIDs map[string]string, wake func()) func(ctx context.Context, tx *store.Tx, phone, lang string, vars ...string) error {
	return func(ctx context.Context, tx *store.Tx, phone, lang string, vars ...string) error {
		if lang != "en" {
			lang = "hi"
		}
		id := templateIDs[lang]
		if id == "" {
			id = name + "_" + lang
		}
		tmpl := sms.Template{ID: id, Text: texts[lang]}
		body, err := tmpl.Render(vars...)
		if err != nil {
			return err
		}
		summary, err := tmpl.Render(append([]string{store.Masked}, vars[1:]...)...) // what the outbox keeps once it is sent
		if err != nil {
			return err
		}
		person, err := store.FindByContact(ctx, tx, store.ContactPhone, phone)
		if err != nil && apperr.CodeOf(err) != apperr.NotFound {
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
