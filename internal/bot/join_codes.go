package bot

import "github.com/jodo-org/jodo/internal/store"

// useCode links this chat to the missed caller the code was sent to
// (people.UseJoinCode); when the chat's person was folded into the
// caller, the turn goes on as the caller.
func (t *turn) useCode(code string) error {
	into, err := t.e.people.UseJoinCode(t.ctx, t.tx, t.person.ID, code, t.day())
	if err != nil || into == t.person.ID {
		return err
	}
	if t.chat, err = store.GetChatContext(t.ctx, t.tx, into, t.drive.d.ID); err != nil {
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
