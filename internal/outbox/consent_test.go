package outbox_test

import (
	"context"
	"strings"
	"testing"

	"github.com/jodo-org/jodo/internal/graph"
	"github.com/jodo-org/jodo/internal/outbox"
	"github.com/jodo-org/jodo/internal/send"
	"github.com/jodo-org/jodo/internal/store"
)

// TestWhatsAppOutreachNeedsWhatsAppConsent: outreach on the WhatsApp
// channel is checked against the WhatsApp purpose, not SMS's, though the
// channel and the purpose are separate names.
func TestWhatsAppOutreachNeedsWhatsAppConsent(t *testing.T) {
	r := newRig(t)
	ctx := context.Background()
	people := map[string]int64{}
	err := r.db.Update(ctx, func(tx *store.Tx) error {
		for name, purpose := range map[string]string{"whatsapp": store.PurposeWhatsApp, "sms only": store.PurposeSMS} {
			id, err := store.CreatePerson(ctx, tx, store.Person{Language: "hi"})
			if err != nil {
				return err
			}
			people[name] = id
			if err := store.GrantConsent(ctx, tx, store.Consent{PersonID: id, Purpose: purpose, NoticeVersion: "v1", Channel: "web"}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	body, err := graph.Outgoing{Kind: graph.KindTemplate, Template: &graph.TemplateRef{Name: "drive_news", Language: "hi"}}.Encode()
	if err != nil {
		t.Fatal(err)
	}
	outreach := func(name, to string) store.OutboxMessage {
		return store.OutboxMessage{Channel: store.ChannelWhatsApp, Provider: "whatsapp", Class: store.ClassOutreach,
			PersonID: people[name], Body: body, To: to, From: "106540352242922"}
	}
	ids := r.enqueue(t, outreach("whatsapp", "+919876500001"), outreach("sms only", "+919876500002"))
	var sent []string
	p := providerFunc(func(_ context.Context, m send.Message) send.Result {
		sent = append(sent, m.To)
		return send.Result{Outcome: send.Accepted, ProviderID: "wamid." + m.Ref}
	})
	s, err := outbox.New(r.db, map[string]send.Provider{"whatsapp": p}, outbox.Config{Owner: "n1", Concurrency: 1})
	if err != nil {
		t.Fatal(err)
	}
	drain(t, s)
	wantState(t, r.state(t, ids[0]), store.MsgSent)
	m := r.state(t, ids[1])
	wantState(t, m, store.MsgFailed)
	if !strings.Contains(m.Error, "whatsapp consent") {
		t.Errorf("error %q, want it to name whatsapp consent", m.Error)
	}
	if len(sent) != 1 || sent[0] != "+919876500001" {
		t.Errorf("sent to %v, want only the person with WhatsApp consent", sent)
	}
}
