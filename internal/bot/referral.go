package bot

import "github.com/jodo-org/jodo/internal/store"

// referred records that the member whose referral code the chat sent
// ("JOIN K7M2Q9XRT") brought this person (referrals.Refer): only for a
// participation this chat made (a WhatsApp lead, not registered yet), so a
// code cannot claim someone who came by a missed call, the web or a
// coordinator. An unknown code, oneself, a second referral or a newer
// referrer change nothing, and the chat is answered as for JOIN alone:
// who referred is never said.
func (t *turn) referred(code string) error {
	part, err := store.FindParticipation(t.ctx, t.tx, t.person.ID, t.drive.d.ID)
	if err != nil {
		return err
	}
	if part.Channel != "whatsapp" || !part.RegisteredAt.IsZero() {
		return nil
	}
	_, err = t.e.refs.Refer(t.ctx, t.tx, part.ID, code)
	return err
}
