package store_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/jodo-org/jodo/internal/store"
	"github.com/jodo-org/jodo/internal/store/storetest"
)

// Two messages from one new sender stored at once (on PostgreSQL, in
// concurrent transactions) make one person, not two.
func TestRecordWhatsAppConcurrentSenderIsOnePerson(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t, nil)
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			m := store.WhatsAppMessage{Inbox: store.InboxItem{Provider: "whatsapp", Key: fmt.Sprint("wamid-", i), Kind: store.KindWhatsAppMessage,
				Payload: []byte("{}")}, WAID: "919812300009", Phone: "+919812300009"}
			err := db.Update(ctx, func(tx *store.Tx) error {
				_, err := store.RecordWhatsApp(ctx, tx, []store.WhatsAppMessage{m}, nil)
				return err
			})
			if err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	var people, contacts int
	err := db.View(ctx, func(tx *store.Tx) error {
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM people").Scan(&people); err != nil {
			return err
		}
		return tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM contact_points").Scan(&contacts)
	})
	if err != nil || people != 1 || contacts != 2 {
		t.Fatalf("%d people and %d contact points for one sender (%v), want 1 and 2", people, contacts, err)
	}
}
