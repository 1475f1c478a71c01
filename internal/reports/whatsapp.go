package reports

import (
	"strconv"

	"github.com/jodo-org/jodo/internal/store"
	"github.com/jodo-org/jodo/internal/whatsapp"
)

// WhatsAppUpdate is a WhatsApp status notification in the outbox's terms;
// State is "" for a status the outbox does not track.
func WhatsAppUpdate(s whatsapp.Status) store.StatusUpdate {
	u := store.StatusUpdate{Provider: "whatsapp", ProviderID: s.ID, At: s.Timestamp,
		State: map[string]string{whatsapp.StatusSent: store.MsgSent, whatsapp.StatusDelivered: store.MsgDelivered,
			whatsapp.StatusRead: store.MsgRead, whatsapp.StatusFailed: store.MsgFailed}[s.Status]}
	if len(s.Errors) > 0 {
		e := s.Errors[0]
		u.Error = strconv.Itoa(e.Code) + " " + e.Title
	}
	return u
}
