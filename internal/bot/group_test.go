package bot_test

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/jodo-org/jodo/internal/groups"
	"github.com/jodo-org/jodo/internal/referrals"
	"github.com/jodo-org/jodo/internal/store"
	"github.com/jodo-org/jodo/internal/store/storetest"
)

const (
	groupLink  = "https://chat.whatsapp.com/AbCdEfGhIjKlMnOpQrStUv"
	groupLink2 = "https://t.me/+AbCdEfGhIjKlMnOp12"
)

// volunteer makes the chat's person a member and a volunteer at
// JH-AC-063, and returns the thank-you's texts.
func (c *volChat) volunteer(name string) []string {
	c.join(name)
	c.tap("vol:yes")
	c.tap("vconsent:yes")
	c.tap("work:yes")
	c.tap("booth:skip")
	c.tap("vl:hi")
	c.tap("vl:done")
	c.tap("vwa:no")
	texts, _ := c.tap("vh:done")
	return texts
}

func (w *volWorld) groups(person int64) []store.Group {
	var gs []store.Group
	err := w.db.View(context.Background(), func(tx *store.Tx) (err error) {
		gs, err = store.GroupsOf(context.Background(), tx, person)
		return err
	})
	if err != nil {
		w.t.Fatal(err)
	}
	return gs
}

// A volunteer registers a group through GROUP: a bad link is said and
// asked again; their work area, a language typed, a size tapped, a name;
// groups +1 at their AC. MY GROUPS shows "1 of 10", the state and the
// invite (theirs), with a Still active row that confirms it. Another
// volunteer pasting the same link is told it is registered, never by whom,
// and asked for the link alone, the rest kept. A member who does not
// volunteer is told to volunteer first.
func TestGroupFlow(t *testing.T) {
	w := newVolWorld(t)
	c := w.chat("919811100201")
	c.want("offer", c.volunteer("Ravi Kumar"), nil, "Send GROUP to register your groups")

	texts, _ := c.say("group")
	c.want("asked for the link", texts, nil, "Paste the invite link")
	texts, _ = c.say("https://www.instagram.com/ravi")
	c.want("other site", texts, nil, "We register only WhatsApp groups")
	texts, choices := c.say(groupLink)
	c.want("link", texts, choices, "Is this group for Ranchi?", "gwhere:yes", "gwhere:no")
	texts, choices = c.tap("gwhere:yes")
	c.want("where", texts, choices, "1 Hindi", "gl:hi")
	texts, _ = c.say("klingon")
	c.want("unknown language", texts, nil, "Please choose one language")
	texts, choices = c.say("2")
	c.want("language", texts, choices, "About how many people", "gs:1", "gs:6")
	texts, _ = c.tap("gs:2")
	c.want("size", texts, nil, "What is the group's name?")
	texts, _ = c.say("Ranchi Yuva Manch")
	c.want("registered", texts, nil, "“Ranchi Yuva Manch” is registered", "1 of 10")
	if counts := storetest.CountsAt(t, w.db, "JH-AC-063"); counts["groups"] != 1 {
		t.Fatalf("groups at the AC: %v", counts)
	}
	gs := w.groups(c.conv.PersonID)
	if len(gs) != 1 || gs[0].Language != "en" || gs[0].Size != "51-100" || gs[0].Channel != "whatsapp" || gs[0].Kind != "whatsapp" {
		t.Fatalf("groups %+v", gs)
	}
	confirm := "grp:confirm:" + strconv.FormatInt(gs[0].ID, 10)
	texts, choices = c.say("my groups")
	c.want("MY GROUPS", texts, choices, "1 of 10", "Ranchi Yuva Manch – active", "chat.whatsapp.com/AbCdEfGhIjKlMnOpQrStUv", confirm)
	texts, _ = c.tap(confirm)
	c.want("confirmed", texts, nil, "confirmed as active for 30 more days")
	texts, _ = c.say("my data")
	c.want("MY DATA", texts, nil, "Groups you registered (1): Ranchi Yuva Manch (active)")
	if strings.Contains(strings.Join(texts, ""), "AbCdEfGhIjKlMnOpQrStUv") {
		t.Errorf("MY DATA shows the invite: %q", texts)
	}

	other := w.chat("919811100202")
	other.volunteer("Sita Devi")
	other.say("group")
	other.say(groupLink)
	other.tap("gwhere:yes")
	other.tap("gl:hi")
	other.tap("gs:1")
	texts, _ = other.say("Mera Group")
	other.want("taken", texts, nil, "already registered", "Paste the invite link")
	if all := strings.Join(texts, ""); strings.Contains(all, "Ravi") || strings.Contains(all, "9811100201") {
		t.Errorf("the refusal says whose group it is: %q", texts)
	}
	texts, _ = other.say(groupLink2)
	other.want("the rest kept", texts, nil, "What is the group's name?")
	texts, _ = other.say("Mera Group")
	other.want("second registered", texts, nil, "“Mera Group” is registered", "1 of 10")
	texts, _ = other.tap(confirm)
	other.want("someone else's group", texts, nil, "could not find that group")
	if counts := storetest.CountsAt(t, w.db, "JH-AC-063"); counts["groups"] != 2 {
		t.Fatalf("groups at the AC: %v", counts)
	}

	member := w.chat("919811100203")
	member.join("Anil Singh")
	member.tap("vol:no")
	texts, _ = member.say("ग्रुप")
	member.want("not a volunteer", texts, nil, "Only volunteers register groups")
	texts, _ = member.say("my groups")
	member.want("not a volunteer: MY GROUPS", texts, nil, "Only volunteers register groups")
}

// JOIN with a member's referral code as a chat's first message refers the
// participation the chat makes; when the recruit's join completes (the
// chat proves the phone: verified), the referrer gets one direct credit.
// A second code, an unknown one and a member's own code change nothing.
func TestJoinWithReferralCode(t *testing.T) {
	w := newVolWorld(t)
	a := w.chat("919811100301")
	a.join("Asha Devi")
	code := w.codeFor(a.conv.PersonID)

	b := w.chat("919811100302")
	texts, choices := b.say("JOIN " + strings.ToLower(code))
	b.want("join started", texts, choices, "lang:en")
	if got := w.participation(b.conv.PersonID).ReferredBy; got != a.conv.PersonID {
		t.Fatalf("referred by %d, want %d", got, a.conv.PersonID)
	}
	c := w.chat("919811100303")
	c.join("Chandan")
	b.say("JOIN " + w.codeFor(c.conv.PersonID))
	if got := w.participation(b.conv.PersonID).ReferredBy; got != a.conv.PersonID {
		t.Fatalf("a second code moved the referrer to %d", got)
	}
	b.tap("lang:en")
	b.tap("consent:yes")
	b.tap("optin:no")
	b.tap("age:yes")
	b.say("Bina Kumari")
	b.tap("d:JH-D-RANCHI")
	b.tap("a:JH-AC-063")
	texts, _ = b.tap("booth:skip")
	b.want("welcome", texts, nil, "Membership number")
	if cr := w.credits(a.conv.PersonID); len(cr) != 1 || cr[0].Direct != 1 || cr[0].Indirect != 0 {
		t.Fatalf("the referrer's credit %+v", cr)
	}
	texts, _ = a.say("my data")
	a.want("MY DATA", texts, nil, "Your referral code: "+code, ": 1 directly, 0 through them")

	self := w.chat("919811100304")
	self.say("JOIN ZZZZZZZZZ")
	if got := w.participation(self.conv.PersonID).ReferredBy; got != 0 {
		t.Errorf("an unknown code referred to %d", got)
	}
	if got := w.participation(a.conv.PersonID).ReferredBy; got != 0 {
		t.Errorf("a member was referred after joining: %d", got)
	}
	a.say("JOIN " + code)
	if got := w.participation(a.conv.PersonID).ReferredBy; got != 0 {
		t.Errorf("oneself: %d", got)
	}
}

func (w *volWorld) codeFor(person int64) (code string) {
	err := w.db.Update(context.Background(), func(tx *store.Tx) (err error) {
		code, err = referrals.New([]byte(benchSecret)).CodeFor(context.Background(), tx, person)
		return err
	})
	if err != nil {
		w.t.Fatal(err)
	}
	return code
}

func (w *volWorld) participation(person int64) (p store.Participation) {
	err := w.db.View(context.Background(), func(tx *store.Tx) (err error) {
		p, err = store.FindParticipation(context.Background(), tx, person, w.drive.ID)
		return err
	})
	if err != nil {
		w.t.Fatal(err)
	}
	return p
}

func (w *volWorld) credits(person int64) (cr []store.RecruiterCredit) {
	err := w.db.View(context.Background(), func(tx *store.Tx) (err error) {
		cr, err = store.CreditsOf(context.Background(), tx, person)
		return err
	})
	if err != nil {
		w.t.Fatal(err)
	}
	return cr
}

// A volunteer with many groups gets MY GROUPS and MY DATA that fit one
// WhatsApp message each: as many groups as fit, ten Still active rows,
// and the count of all.
func TestManyGroupsFitAMessage(t *testing.T) {
	w := newVolWorld(t)
	c := w.chat("919811100401")
	c.volunteer("Ravi Kumar")
	reg := groups.New([]byte(benchSecret))
	err := w.db.Update(context.Background(), func(tx *store.Tx) error {
		for i := range 40 {
			if _, err := reg.Register(context.Background(), tx, groups.Registration{PersonID: c.conv.PersonID, DriveID: w.drive.ID,
				Link: fmt.Sprintf("https://chat.whatsapp.com/ManyGroups%012d", i), Language: "hi", Size: "1-50",
				Name: strings.Repeat("ग्रुप का लंबा नाम ", 5) + strconv.Itoa(i), Channel: "web"}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	texts, choices := c.say("my groups")
	c.want("MY GROUPS", texts, choices, "40 of 10", "…")
	if n := utf8.RuneCountInString(texts[0]); n > 4096 || len(choices) != 10 {
		t.Errorf("MY GROUPS: %d characters, %d rows", n, len(choices))
	}
	texts, _ = c.say("my data")
	c.want("MY DATA", texts, nil, "Groups you registered (40)", "…")
	if n := utf8.RuneCountInString(texts[0]); n > 4096 {
		t.Errorf("MY DATA: %d characters", n)
	}
}
