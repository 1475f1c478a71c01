package bot

import (
	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/links"
	"github.com/jodo-org/jodo/internal/store"
)

// useCode links this chat to the missed caller the code was sent to. From
// the caller's own number the chat is already theirs; from another number
// the chat's person is folded into the caller (only a chat's bare person
// is: anyone with more keeps their own registration). Only the WhatsApp
// number is proven by the chat, so the caller's phone stays unverified.
func (t *turn) useCode(code string) error {
	partID, err := store.UseJoinCode(t.ctx, t.tx, links.New(t.e.cfg.SecretKey).CodeHash(code))
	switch {
	case apperr.CodeOf(err) == apperr.NotFound || apperr.CodeOf(err) == apperr.Conflict || err == store.ErrLinkExpired:
		return nil // an unknown, used or old code: carry on as this chat's person
	case err != nil:
		return err
	}
	part, err := store.GetParticipation(t.ctx, t.tx, partID)
	if err != nil || part.PersonID == t.person.ID {
		return err
	}
	merged, err := store.MergeChatPerson(t.ctx, t.tx, t.person.ID, part.PersonID, t.day())
	if err != nil || !merged {
		return err
	}
	if t.chat, err = store.GetChatContext(t.ctx, t.tx, part.PersonID, t.drive.d.ID); err != nil {
		return err
	}
	t.person = t.chat.Person
	t.conv.PersonID = t.person.ID
	if t.lang == "" && validLang(t.person.Language) {
		t.lang = t.person.Language
	}
	t.say("code.other")
	return nil
}
