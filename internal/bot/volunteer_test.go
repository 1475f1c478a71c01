package bot_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jodo-org/jodo/internal/bot"
	"github.com/jodo-org/jodo/internal/drive/drivetest"
	"github.com/jodo-org/jodo/internal/geo"
	"github.com/jodo-org/jodo/internal/store"
	"github.com/jodo-org/jodo/internal/store/storetest"
)

// volWorld is a drive open today with the reference drive's posts, and a
// booth (12) in JH-AC-063, answered by the engine step by step.
type volWorld struct {
	t     *testing.T
	db    *store.DB
	e     *bot.Engine
	drive store.Drive
}

func newVolWorld(t *testing.T) *volWorld {
	db := storetest.Open(t, nil)
	today := time.Now()
	file := strings.Replace(drivetest.Reference, `"starts_on": "2026-02-12", "ends_on": "2026-03-13"`,
		`"starts_on": "`+today.AddDate(0, -1, 0).Format(time.DateOnly)+`", "ends_on": "`+today.AddDate(0, 1, 0).Format(time.DateOnly)+`"`, 1)
	booth := geo.Area{Code: "JH-AC-063-B-0012", Kind: "booth", Number: "12", NameEN: "Booth 12", Parent: "JH-AC-063"}
	d := drivetest.Load(t, db, []geo.Area{booth}, file)["jh-warriors"]
	return &volWorld{t: t, db: db, e: bot.New(db, bot.Config{SecretKey: []byte(benchSecret), BaseURL: "http://127.0.0.1"}), drive: d}
}

// volChat is one person's chat with the engine.
type volChat struct {
	w      *volWorld
	conv   store.ConversationWork
	st     bot.State
	number int
}

func (w *volWorld) chat(waID string) *volChat {
	ctx := context.Background()
	var person int64
	err := w.db.Update(ctx, func(tx *store.Tx) error {
		out, err := store.RecordWhatsApp(ctx, tx, []store.WhatsAppMessage{inbound(w.t, waID, "Hi", "", "", w.drive.ID, time.Now().Format(time.DateOnly))}, nil)
		if err == nil {
			person = out[0].PersonID
		}
		return err
	})
	if err != nil {
		w.t.Fatal(err)
	}
	return &volChat{w: w, conv: store.ConversationWork{PersonID: person, DriveID: w.drive.ID, Channel: "whatsapp"}}
}

// send answers one input; it returns the replies' texts and choice ids.
func (c *volChat) send(in bot.Input) (texts []string, choices []string) {
	c.w.t.Helper()
	c.number++
	in.ID = "wamid.test-" + strings.Repeat("x", c.number)
	ctx := context.Background()
	err := c.w.db.Update(ctx, func(tx *store.Tx) error {
		out, err := c.w.e.Step(ctx, tx, c.conv, c.st, in)
		if err != nil {
			return err
		}
		c.st = out.State
		for _, r := range out.Replies {
			texts = append(texts, r.Text)
			for _, o := range r.Choices {
				choices = append(choices, o.ID)
			}
		}
		return nil
	})
	if err != nil {
		c.w.t.Fatal(err)
	}
	return texts, choices
}

func (c *volChat) say(text string) ([]string, []string) {
	return c.send(bot.Input{Kind: bot.Text, Text: text})
}

func (c *volChat) tap(id string) ([]string, []string) {
	return c.send(bot.Input{Kind: bot.Choice, Choice: id})
}

// want checks that the replies hold each of wants, as text or choice id.
func (c *volChat) want(step string, texts, choices []string, wants ...string) {
	c.w.t.Helper()
	all := strings.Join(texts, "\n")
	for _, w := range wants {
		if !strings.Contains(all, w) && !slices.Contains(choices, w) {
			c.w.t.Fatalf("%s: replies %q %v lack %q", step, texts, choices, w)
		}
	}
}

// join makes the chat's person a member at JH-AC-063 in English and
// returns the welcome's replies.
func (c *volChat) join(name string) ([]string, []string) {
	c.say("Hi")
	c.tap("lang:en")
	c.tap("consent:yes")
	c.tap("optin:no")
	c.tap("age:yes")
	c.say(name)
	c.tap("d:JH-D-RANCHI")
	c.tap("a:JH-AC-063")
	return c.tap("booth:skip")
}

func (w *volWorld) volunteering(person int64) []store.Volunteer {
	var vs []store.Volunteer
	err := w.db.View(context.Background(), func(tx *store.Tx) (err error) {
		vs, err = store.VolunteeringOf(context.Background(), tx, person)
		return err
	})
	if err != nil {
		w.t.Fatal(err)
	}
	return vs
}

func (w *volWorld) handles(person int64) map[string]string {
	var hs []store.Handle
	err := w.db.View(context.Background(), func(tx *store.Tx) (err error) {
		hs, err = store.Handles(context.Background(), tx, person)
		return err
	})
	if err != nil {
		w.t.Fatal(err)
	}
	out := map[string]string{}
	for _, h := range hs {
		out[h.Platform] = h.Handle
	}
	return out
}

// The whole flow from the welcome's offer: notice, their AC and a booth
// of it, languages tapped and typed, the chat's number as WhatsApp, a
// refused and an unreadable handle said and not kept, a good one kept;
// HELP in the middle changes nothing; the volunteer works at the booth,
// in three languages, with two handles; MY DATA shows it; STOP
// VOLUNTEERING ends it and deletes the handles.
func TestVolunteerFlow(t *testing.T) {
	w := newVolWorld(t)
	c := w.chat("919811100101")
	texts, choices := c.join("Ravi Kumar")
	c.want("welcome", texts, choices, "Membership number", "become a volunteer", "vol:yes", "vol:no")
	texts, choices = c.tap("vol:yes")
	c.want("offer taken", texts, choices, "social media handles", "never the public", "vconsent:yes")
	texts, choices = c.tap("vconsent:yes")
	c.want("notice", texts, choices, "Will you work in Ranchi?", "work:yes", "work:no")
	texts, _ = c.tap("work:yes")
	c.want("home AC", texts, nil, "Which polling booth of Ranchi")
	texts, _ = c.say("99")
	c.want("no such booth", texts, nil, "There is no booth 99")
	texts, choices = c.say("12")
	c.want("booth", texts, choices, "1 Hindi", "12 Other", "vl:hi", "more:1")
	texts, _ = c.say("help")
	c.want("help mid-flow", texts, nil, "VOLUNTEER – become a volunteer")
	texts, choices = c.tap("vl:hi")
	c.want("a language tapped", texts, choices, "Chosen: Hindi", "vl:done")
	if slices.Contains(choices, "vl:hi") {
		t.Errorf("Hindi is offered again once chosen: %v", choices)
	}
	texts, _ = c.say("2, santali, klingon")
	c.want("languages typed", texts, nil, "“klingon”", "Chosen: Hindi, English, Santali")
	texts, choices = c.tap("vl:done")
	c.want("languages done", texts, choices, "+91 98xxxxxx01", "vwa:yes")
	if strings.Contains(strings.Join(texts, ""), "919811100101") {
		t.Errorf("the chat's number is shown unmasked: %q", texts)
	}
	texts, choices = c.tap("vwa:yes")
	c.want("chat number", texts, choices, "platform: handle", "vh:done")
	texts, _ = c.say("instagram: instagram.com/p/abc\nfb: ravi.kumar.101\nmyspace: ravi")
	c.want("handles typed", texts, nil, "Instagram: that link is to a post", "could not read “myspace: ravi”", "Facebook: ravikumar101", "WhatsApp: +91 98xxxxxx01")
	texts, _ = c.tap("vh:done")
	c.want("done", texts, nil, "You are now a volunteer", "Booth 12")
	vs := w.volunteering(c.conv.PersonID)
	if len(vs) != 1 || !vs[0].EndedAt.IsZero() || strings.Join(vs[0].Languages, ",") != "hi,en,sat" || vs[0].Channel != "whatsapp" {
		t.Fatalf("volunteering %+v", vs)
	}
	if hs := w.handles(c.conv.PersonID); len(hs) != 2 || hs["facebook"] != "ravikumar101" || hs["whatsapp"] != "+919811100101" {
		t.Errorf("handles %v", hs)
	}
	texts, _ = c.say("my data")
	c.want("MY DATA", texts, nil, "Volunteer of Social media warriors", "Booth 12", "Hindi, English, Santali", "Facebook: ravikumar101", "Posts: none")
	if strings.Contains(strings.Join(texts, ""), "919811100101") {
		t.Errorf("MY DATA shows the WhatsApp handle unmasked: %q", texts)
	}
	texts, _ = c.say("volunteer")
	c.want("again", texts, nil, "never the public")
	texts, _ = c.say("STOP VOLUNTEERING")
	c.want("stop volunteering", texts, nil, "Stop volunteering?")
	texts, _ = c.tap("unvol:yes")
	c.want("stopped volunteering", texts, nil, "You no longer volunteer")
	if vs := w.volunteering(c.conv.PersonID); len(vs) != 1 || vs[0].EndedAt.IsZero() {
		t.Errorf("after STOP VOLUNTEERING: %+v", vs)
	}
	if hs := w.handles(c.conv.PersonID); len(hs) != 0 {
		t.Errorf("handles kept after STOP VOLUNTEERING: %v", hs)
	}
	texts, _ = c.say("stop volunteering")
	c.want("not a volunteer", texts, nil, "You are not a volunteer")
}

// Someone else's handle is refused without saying whose, the flow asks
// for handles again keeping the rest, and finishes once it is dropped;
// another AC can be chosen; Hindi speaks Hindi.
func TestVolunteerProblemsAndOtherArea(t *testing.T) {
	w := newVolWorld(t)
	first := w.chat("919811100102")
	first.join("Sunita Devi")
	first.tap("vol:yes")
	first.tap("vconsent:yes")
	first.tap("work:yes")
	first.tap("booth:skip")
	first.say("1")
	first.tap("vl:done")
	first.tap("vwa:no")
	first.say("x: @sunita_jh")
	texts, _ := first.tap("vh:done")
	first.want("first volunteer", texts, nil, "You are now a volunteer", "working in Ranchi")

	second := w.chat("919811100103")
	second.join("Anil Oraon")
	second.tap("vol:no")
	texts, _ = second.say("कार्यकर्ता बनें")
	second.want("command", texts, nil, "never the public")
	second.tap("vconsent:yes")
	texts, choices := second.tap("work:no")
	second.want("another place", texts, choices, "In which district will you work?", "d:JH-D-DHANBAD")
	second.tap("d:JH-D-DHANBAD")
	texts, _ = second.tap("a:JH-AC-040")
	second.want("another AC", texts, nil, "languages")
	second.say("hindi")
	second.tap("vl:done")
	second.tap("vwa:no")
	second.say("twitter: sunita_jh\nyoutube: youtube.com/@anil")
	texts, _ = second.tap("vh:done")
	second.want("taken", texts, nil, "X: this handle is already registered by someone else", "YouTube: @anil")
	if all := strings.Join(texts, ""); strings.Contains(all, "Sunita") || strings.Contains(all, "98111") {
		t.Errorf("the refusal names the holder: %q", texts)
	}
	if vs := w.volunteering(second.conv.PersonID); len(vs) != 0 {
		t.Fatalf("volunteering started despite a problem: %+v", vs)
	}
	texts, _ = second.tap("vh:done")
	second.want("without it", texts, nil, "You are now a volunteer", "Dhanbad")
	if hs := w.handles(second.conv.PersonID); len(hs) != 1 || hs["youtube"] == "" {
		t.Errorf("handles %v", hs)
	}
}

// Only members volunteer; a member's "hi" after the offer is greeted as a
// member; and in Hindi the offer and notice speak Hindi.
func TestVolunteerNeedsMembership(t *testing.T) {
	w := newVolWorld(t)
	c := w.chat("919811100104")
	texts, _ := c.say("volunteer")
	c.want("not a member", texts, nil, "“जुड़ें”")
	if c.st.Flow == "volunteer" {
		t.Errorf("a non-member entered the flow: %+v", c.st)
	}
	h := w.chat("919811100105")
	h.say("नमस्ते")
	h.tap("lang:hi")
	h.tap("consent:yes")
	h.tap("optin:no")
	h.tap("age:yes")
	h.say("सुनीता देवी")
	h.tap("d:JH-D-RANCHI")
	h.tap("a:JH-AC-063")
	texts, _ = h.tap("booth:skip")
	h.want("Hindi offer", texts, nil, "कार्यकर्ता भी बनना चाहेंगे")
	texts, _ = h.say("hi")
	h.want("member greeted", texts, nil, "आप Social media warriors — Jharkhand के सदस्य हैं")
	if h.st.Flow != "" {
		t.Errorf("state after the greeting: %+v", h.st)
	}
}
