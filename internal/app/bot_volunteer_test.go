package app_test

import (
	"strings"
	"testing"
	"time"

	"github.com/jodo-org/jodo/internal/fakemeta"
)

// A member joins through the bot in English and, taking the welcome's
// offer, volunteers through it: notice, their own AC, two languages typed,
// the chat's number as WhatsApp, an Instagram handle (a post link refused
// first); STOP in the middle silences it and START asks the step again. volunteers moves +1 at their AC, once, though the last message
// (Done) is delivered again; MY DATA then shows the volunteering, with the
// WhatsApp handle masked.
func TestBotVolunteer(t *testing.T) {
	t.Parallel()
	w := newBotWorld(t)
	p := w.person("919812300031")
	one(t, "first message", p.say("Hi"), "lang:en")
	one(t, "language", p.tap("lang:en", "English", false), "Do you agree")
	one(t, "consent", p.tap("consent:yes", "I agree", false), "optin:yes")
	one(t, "news", p.tap("optin:no", "No, thanks", false), "age:yes")
	one(t, "age", p.tap("age:yes", "Yes, 18+", false), "name")
	one(t, "name", p.say("Ravi Kumar"), "district")
	one(t, "district", p.tap("d:JH-D-RANCHI", "Ranchi", true), "a:JH-AC-063")
	one(t, "AC: the welcome and the offer", p.tap("a:JH-AC-063", "Ranchi", true), "Membership number", "vol:yes", "vol:no")
	checkCounts(t, w.db, "JH-AC-063", map[string]int64{"members": 1, "volunteers": 0})

	one(t, "offer", p.tap("vol:yes", "Yes, volunteer", false), "never the public", "vconsent:yes")
	one(t, "notice", p.tap("vconsent:yes", "I agree", false), "Will you work in Ranchi?", "work:yes")
	one(t, "work in their AC", p.tap("work:yes", "Yes, there", false), "1 Hindi", "vl:hi")
	one(t, "languages typed", p.say("1 2"), "Chosen: Hindi, English", "vl:done")
	one(t, "STOP mid-flow", p.say("STOP"), "no more messages")
	if got := p.tap("vl:done", "Done", true); len(got) != 0 {
		t.Fatalf("answered after STOP: %v", got)
	}
	if back := p.say("START"); len(back) != 2 || !strings.Contains(back[1].Text, "Chosen: Hindi, English") {
		t.Fatalf("START mid-flow should ask the languages again: %v", back)
	}
	one(t, "languages done", p.tap("vl:done", "Done", true), "+91 98xxxxxx31", "vwa:yes")
	one(t, "chat's number", p.tap("vwa:yes", "Yes, this number", false), "platform: handle", "vh:done")
	bad := p.say("instagram: https://www.instagram.com/p/abc123/")
	if len(bad) != 2 || !strings.Contains(bad[0].Text, "Instagram: that link is to a post") || strings.Contains(bad[1].Text, "Instagram") {
		t.Fatalf("a post link: %v", bad)
	}
	one(t, "handle", p.say("instagram: @ravi_jh"), "Instagram: ravi_jh", "WhatsApp: +91 98xxxxxx31")
	checkCounts(t, w.db, "JH-AC-063", map[string]int64{"volunteers": 0})

	id := p.wamid()
	done := fakemeta.TapBody("+91 70000 00000", fakemeta.PhoneNumberID, p.waID, id, "vh:done", "Done", false, time.Now())
	one(t, "done", p.post(id, done), "You are now a volunteer", "working in Ranchi")
	checkCounts(t, w.db, "JH-AC-063", map[string]int64{"members": 1, "volunteers": 1})
	checkCountsByChannel(t, w.db, "whatsapp", map[string]int64{"volunteers": 1})
	if again := p.post(id, done); len(again) != 0 {
		t.Errorf("the redelivered Done was answered again: %v", again)
	}
	checkCounts(t, w.db, "JH-AC-063", map[string]int64{"volunteers": 1})

	data := one(t, "MY DATA", p.say("MY DATA"), "Volunteer of Sadasyata — Jharkhand, working in Ranchi", "Hindi, English",
		"Instagram: ravi_jh", "WhatsApp: +91 98xxxxxx31")
	if strings.Contains(data.Text, "9812300031") {
		t.Errorf("MY DATA shows the number unmasked: %s", data.Text)
	}
	one(t, "volunteer again", p.say("volunteer"), "never the public")
	one(t, "stop volunteering", p.say("stop volunteering"), "unvol:yes")
	one(t, "confirmed", p.tap("unvol:yes", "Yes, stop", false), "You no longer volunteer")
	checkCounts(t, w.db, "JH-AC-063", map[string]int64{"members": 1, "volunteers": 0})
}
