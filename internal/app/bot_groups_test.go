package app_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/jodo-org/jodo/internal/referrals"
	"github.com/jodo-org/jodo/internal/store"
)

// joinByBot takes a person through the bot's join in English to
// membership at JH-AC-063 (Ranchi) and returns the welcome.
func (p *person) joinByBot(t *testing.T, first, name string) reply {
	one(t, "first message", p.say(first), "lang:en")
	one(t, "language", p.tap("lang:en", "English", false), "Do you agree")
	one(t, "consent", p.tap("consent:yes", "I agree", false), "optin:yes")
	one(t, "news", p.tap("optin:no", "No, thanks", false), "age:yes")
	one(t, "age", p.tap("age:yes", "Yes, 18+", false), "name")
	one(t, "name", p.say(name), "district")
	one(t, "district", p.tap("d:JH-D-RANCHI", "Ranchi", true), "a:JH-AC-063")
	return one(t, "AC: the welcome and the offer", p.tap("a:JH-AC-063", "Ranchi", true), "Membership number", "vol:yes")
}

// Over the real server (signed webhooks, the fake Graph API): a member
// volunteers through the bot and is offered GROUP; registers a WhatsApp
// group (groups +1 at their AC); MY GROUPS shows "1 of 10" with the invite
// and a Still active button that confirms it. A new person whose first
// message is "JOIN <A's referral code>" joins through the bot; the chat
// proves their phone, so they are verified and A gets one direct credit.
func TestBotGroupsAndReferral(t *testing.T) {
	t.Parallel()
	w := newBotWorld(t)
	a := w.person("919812300041")
	a.joinByBot(t, "Hi", "Asha Devi")
	one(t, "offer", a.tap("vol:yes", "Yes, volunteer", false), "vconsent:yes")
	one(t, "notice", a.tap("vconsent:yes", "I agree", false), "work:yes")
	one(t, "work in their AC", a.tap("work:yes", "Yes, there", false), "vl:hi")
	one(t, "language", a.tap("vl:hi", "Hindi", true), "vl:done")
	one(t, "languages done", a.tap("vl:done", "Done", true), "vwa:yes")
	one(t, "chat's number", a.tap("vwa:no", "No", false), "vh:done")
	one(t, "volunteered", a.tap("vh:done", "Done", true), "You are now a volunteer", "Send GROUP to register your groups")

	one(t, "GROUP", a.say("GROUP"), "Paste the invite link")
	one(t, "not an invite", a.say("https://www.facebook.com/asha.devi"), "not a group's invite")
	one(t, "link", a.say("https://chat.whatsapp.com/RanchiYuvaManch0000001"), "Is this group for Ranchi?", "gwhere:yes")
	one(t, "where", a.tap("gwhere:yes", "Yes, there", false), "gl:hi")
	one(t, "language", a.tap("gl:hi", "Hindi", true), "gs:3")
	one(t, "size", a.tap("gs:3", "101-256", true), "group's name")
	one(t, "name", a.say("Ranchi Yuva Manch"), "is registered", "1 of 10")
	checkCounts(t, w.db, "JH-AC-063", map[string]int64{"groups": 1, "volunteers": 1})

	grp := w.onlyGroup(a)
	confirm := "grp:confirm:" + strconv.FormatInt(grp.ID, 10)
	one(t, "MY GROUPS", a.say("MY GROUPS"), "1 of 10", "Ranchi Yuva Manch – active", "chat.whatsapp.com/RanchiYuvaManch0000001", confirm)
	one(t, "Still active", a.tap(confirm, "Ranchi Yuva Manch", true), "confirmed as active")
	if after := w.onlyGroup(a); !after.ConfirmedAt.After(grp.ConfirmedAt) || after.State != store.GroupLive {
		t.Errorf("the confirmation did not move confirmed_at: %v → %v (%s)", grp.ConfirmedAt, after.ConfirmedAt, after.State)
	}
	checkCounts(t, w.db, "JH-AC-063", map[string]int64{"groups": 1})

	code := w.referralCode(a)
	b := w.person("919812300042")
	b.joinByBot(t, "JOIN "+code, "Bina Kumari")
	if cr := w.creditsOf(a); len(cr) != 1 || cr[0].Direct != 1 || cr[0].Indirect != 0 {
		t.Fatalf("A's credit after B joined: %+v", cr)
	}
	checkCounts(t, w.db, "JH-AC-063", map[string]int64{"members": 2, "verified": 2})
	one(t, "MY DATA", a.say("MY DATA"), "Your referral code: "+code, "1 directly", "Groups you registered (1): Ranchi Yuva Manch (active)")
	if r := b.say("MY DATA"); len(r) != 1 || strings.Contains(r[0].Text, "Asha") {
		t.Errorf("B's data names the referrer: %v", r)
	}
}

// personOf is the id of the person chatting from p's number.
func (w *botWorld) personOf(p *person) (id int64) {
	w.t.Helper()
	w.view(func(ctx context.Context, tx *store.Tx) (err error) {
		id, err = store.FindByContact(ctx, tx, store.ContactWAID, p.waID)
		return err
	})
	return id
}

func (w *botWorld) view(fn func(ctx context.Context, tx *store.Tx) error) {
	w.t.Helper()
	ctx := context.Background()
	if err := w.db.View(ctx, func(tx *store.Tx) error { return fn(ctx, tx) }); err != nil {
		w.t.Fatal(err)
	}
}

// onlyGroup is p's one group.
func (w *botWorld) onlyGroup(p *person) store.Group {
	w.t.Helper()
	var gs []store.Group
	w.view(func(ctx context.Context, tx *store.Tx) (err error) {
		gs, err = store.GroupsOf(ctx, tx, w.personOf(p))
		return err
	})
	if len(gs) != 1 {
		w.t.Fatalf("groups %+v", gs)
	}
	return gs[0]
}

// referralCode gives p a referral code as /me would, with the server's key.
func (w *botWorld) referralCode(p *person) (code string) {
	w.t.Helper()
	person := w.personOf(p)
	ctx := context.Background()
	err := w.db.Update(ctx, func(tx *store.Tx) (err error) {
		code, err = referrals.New([]byte(processSecretKey)).CodeFor(ctx, tx, person)
		return err
	})
	if err != nil {
		w.t.Fatal(err)
	}
	return code
}

func (w *botWorld) creditsOf(p *person) (cr []store.RecruiterCredit) {
	w.t.Helper()
	w.view(func(ctx context.Context, tx *store.Tx) (err error) {
		cr, err = store.CreditsOf(ctx, tx, w.personOf(p))
		return err
	})
	return cr
}
