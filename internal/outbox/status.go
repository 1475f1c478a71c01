package outbox

import (
	"strconv"

	"github.com/jodo-org/jodo/internal/sms"
	"github.com/jodo-org/jodo/internal/store"
)

// StatusUpdate turns a provider's delivery report into the store's terms;
// the webhook hands the result to store.ApplyStatus.
func StatusUpdate(provider string, st sms.Status) store.StatusUpdate {
	ref, _ := strconv.ParseInt(st.Ref, 10, 64) // absent or not ours: 0, matched by provider id only
	state := map[string]string{sms.StatusSent: store.MsgSent, sms.StatusDelivered: store.MsgDelivered,
		sms.StatusFailed: store.MsgFailed}[st.Status]
	return store.StatusUpdate{Provider: provider, ProviderID: st.ProviderID, Ref: ref, State: state,
		Error: st.ErrorCode, At: st.At}
}
