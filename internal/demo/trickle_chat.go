package demo

import (
	"context"
	"errors"
	"math/rand/v2"
	"regexp"
	"strings"
	"time"
)

// memberNo is a membership number as the bot's welcome writes it.
var memberNo = regexp.MustCompile(`[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{3}`)

// joinByWhatsApp chats with the bot until it welcomes a member: it
// answers each question from what the fake Graph API recorded of the
// bot's last message, tapping what a person would tap and typing a name.
func (t *Trickle) joinByWhatsApp(ctx context.Context, number string) error {
	lang := []string{"lang:hi", "lang:en"}[rand.IntN(2)]
	named := false
	if err := t.Live.Chat.Say(ctx, number, []string{"नमस्ते", "Hi", "JOIN"}[rand.IntN(3)]); err != nil {
		return err
	}
	for range 12 {
		last, err := t.nextFromBot(ctx, number)
		if err != nil {
			return err
		}
		if memberNo.MatchString(last.Text) {
			return nil
		}
		o, ok := answer(last, lang)
		switch {
		case ok:
			err = t.Live.Chat.Tap(ctx, number, o, last.List)
		case !named:
			named = true
			err = t.Live.Chat.Say(ctx, number, trickleNames[rand.IntN(len(trickleNames))])
		default:
			return errors.New("the bot asked what the script cannot answer: " + last.Text)
		}
		if err != nil {
			return err
		}
	}
	return errors.New("no welcome after 12 answers")
}

// nextFromBot waits for the bot to answer the person's last message and
// for its answers to settle, and returns the last of them.
func (t *Trickle) nextFromBot(ctx context.Context, number string) (Bubble, error) {
	var last Bubble
	err := wait(ctx, func() bool {
		chat := t.Live.Chat.Transcript(number)
		if len(chat) == 0 || chat[len(chat)-1].Mine || time.Since(chat[len(chat)-1].At) < time.Second {
			return false
		}
		last = chat[len(chat)-1]
		return true
	})
	return last, err
}

// answer is the option a joining person taps for the bot's question: the
// language chosen, yes to consent and age, no booth, news either way, any
// district or AC offered; false when the question wants typing (the name).
func answer(b Bubble, lang string) (Option, bool) {
	var picks []Option
	for _, o := range b.Options {
		switch {
		case o.ID == lang, o.ID == "consent:yes", o.ID == "age:yes", o.ID == "booth:skip":
			return o, true
		case strings.HasPrefix(o.ID, "optin:"), strings.HasPrefix(o.ID, "a:"), strings.HasPrefix(o.ID, "d:"):
			picks = append(picks, o)
		}
	}
	if len(picks) == 0 {
		return Option{}, false
	}
	return picks[rand.IntN(len(picks))], true
}
