package bot

import (
	"context"
	"encoding/json"
	"sync"
	"time"

	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/drive"
	"github.com/jodo-org/jodo/internal/groups"
	"github.com/jodo-org/jodo/internal/locale"
	"github.com/jodo-org/jodo/internal/people"
	"github.com/jodo-org/jodo/internal/referrals"
	"github.com/jodo-org/jodo/internal/store"
)

// NoticeVersion names the notice the bot shows (locales "notice", both
// languages); it is stored with each consent given in the chat. Change it
// whenever that wording changes (docs/registration.md, "Notice versions").
const NoticeVersion = "whatsapp-2026-12"

// VolunteerNoticeVersion names the volunteer notice the bot shows (locales
// "vol.notice"), stored with the volunteer consent given in the chat.
// Change it whenever that wording changes (docs/bot.md).
const VolunteerNoticeVersion = "whatsapp-volunteer-2026-12"

// Config is what the engine needs besides the database.
type Config struct {
	SecretKey []byte // signs card links, keys suppression hashes
	BaseURL   string // JODO_BASE_URL, for card and /me links
}

// Engine answers inputs. It is safe for concurrent use: it caches drives
// and their areas (for a minute) and keeps no other state; a
// conversation's state is the caller's to load and save.
type Engine struct {
	db     *store.DB
	cfg    Config
	people *people.People
	groups *groups.Groups
	refs   *referrals.Referrals
	mu     sync.Mutex
	drives map[int64]cachedDrive
	areas  map[string]*areaSet
}

type cachedDrive struct {
	d    store.Drive
	file drive.File // its posts' titles
	loc  *time.Location
	lang string // what the drive speaks to people who have not chosen: "hi" or "en"
	at   time.Time
}

// nameIn is the drive's name in lang: its Hindi name in Hindi when it has one.
func (c cachedDrive) nameIn(lang string) string { return locale.Name(lang, c.d.Name, c.d.NameLocal) }

// cacheFor is how long a drive or its areas are kept before reloading.
const cacheFor = time.Minute

// New returns an Engine.
func New(db *store.DB, cfg Config) *Engine {
	return &Engine{db: db, cfg: cfg, people: people.New(cfg.SecretKey), groups: groups.New(cfg.SecretKey),
		refs: referrals.New(cfg.SecretKey), drives: map[int64]cachedDrive{}, areas: map[string]*areaSet{}}
}

// State is the bot's place in a conversation, kept as JSON between
// messages.
type State struct {
	Flow     string `json:"flow,omitempty"` // "", "join", "volunteer", "group", "delete", "leave", "unvolunteer"
	Step     string `json:"step,omitempty"`
	Lang     string `json:"lang,omitempty"`
	Name     string `json:"name,omitempty"`
	District string `json:"district,omitempty"` // area code
	AC       string `json:"ac,omitempty"`       // area code
	Optin    bool   `json:"optin,omitempty"`
	Page     int    `json:"page,omitempty"` // of the list shown
	// The volunteer flow's answers so far, kept as strings so a State
	// stays comparable.
	Work    string `json:"work,omitempty"`    // the AC or booth code they will work in
	Langs   string `json:"langs,omitempty"`   // handles.Languages codes, comma-separated
	Handles string `json:"handles,omitempty"` // "platform:handle" lines, as typed after the platform
	// The group flow's answers so far (Work is the group's area; "" its
	// owner's work area).
	Link  string `json:"link,omitempty"`  // the invite as groups.Invite.Link writes it
	GLang string `json:"glang,omitempty"` // the group's language, a handles.Languages code
	Size  string `json:"size,omitempty"`  // one of groups.Sizes
}

// ParseState reads a stored state; an unreadable one starts afresh.
func ParseState(s string) State {
	var st State
	if json.Unmarshal([]byte(s), &st) != nil {
		return State{}
	}
	return st
}

// String is the state as stored.
func (s State) String() string {
	b, _ := json.Marshal(s)
	return string(b)
}

// turn is one input being answered.
type turn struct {
	e      *Engine
	ctx    context.Context
	tx     *store.Tx
	conv   store.ConversationWork
	st     State
	in     Input
	chat   store.ChatContext // the person, their WhatsApp consent, their place in the drive
	person store.Person
	drive  *cachedDrive // nil: no drive owns the business number
	lang   string       // the person's language; "" until they choose
	deflt  string       // what to speak until then: the drive's language
	out    []Reply
}

func (t *turn) say(id string, pairs ...string) {
	t.out = append(t.out, Reply{Text: t.tr(id, pairs...)})
}

// tr is a text in the language the turn speaks.
func (t *turn) tr(id string, pairs ...string) string { return tr(t.speaking(), id, pairs...) }

// speaking is the person's language, or the drive's until they choose.
func (t *turn) speaking() string {
	if t.lang != "" {
		return t.lang
	}
	return langOr(t.deflt)
}

func (t *turn) ask(r Reply) { t.out = append(t.out, r) }

// Outcome is what answering one input came to.
type Outcome struct {
	State    State
	Replies  []Reply
	PersonID int64 // the conversation's person now (a join code can fold the chat into a missed caller)
	Note     string
}

// Step answers in, from the person in conv whose bot state is st, in tx:
// it returns the new state and the replies, and has written in tx what the
// answer changes (consents, a registration, an erasure).
func (e *Engine) Step(ctx context.Context, tx *store.Tx, conv store.ConversationWork, st State, in Input) (Outcome, error) {
	chat, err := store.GetChatContext(ctx, tx, conv.PersonID, conv.DriveID)
	if err != nil {
		return Outcome{}, err
	}
	return e.StepInChat(ctx, tx, conv, st, in, chat)
}

// StepInChat is Step for the person as chat says they stand in the drive
// (read in tx for conv's person and drive, with nothing written since).
func (e *Engine) StepInChat(ctx context.Context, tx *store.Tx, conv store.ConversationWork, st State, in Input, chat store.ChatContext) (Outcome, error) {
	t := &turn{e: e, ctx: ctx, tx: tx, conv: conv, st: st, in: in, chat: chat}
	t.person = t.chat.Person
	if !t.person.ErasedAt.IsZero() {
		// Erased with messages still waiting: the next message makes a new person.
		return Outcome{PersonID: conv.PersonID, Note: "not answered: the person erased their data"}, nil
	}
	if conv.DriveID != 0 {
		d, err := e.drive(ctx, conv.DriveID)
		if err != nil {
			return Outcome{}, err
		}
		t.drive, t.deflt = &d, d.lang
	}
	t.lang = st.Lang
	if !validLang(t.lang) {
		t.lang = t.person.Language
	}
	if !validLang(t.lang) {
		t.lang = ""
	}
	if err := t.answer(); err != nil {
		return Outcome{}, err
	}
	if t.lang != "" {
		t.st.Lang = t.lang
	}
	return Outcome{State: t.st, Replies: t.out, PersonID: t.conv.PersonID}, nil
}

// tr is t() with a language that may not be chosen yet: Hindi then.
func tr(lang, id string, pairs ...string) string { return t(langOr(lang), id, pairs...) }

func langOr(lang string) string {
	if validLang(lang) {
		return lang
	}
	return "hi"
}

// answer picks what the input asks for: a command works anywhere; after
// STOP only START and the rights commands are answered; otherwise the flow
// in progress continues. Only STOP silences the bot: a person who withdrew
// WhatsApp news elsewhere (/me) is still answered when they write, since a
// reply is no news.
func (t *turn) answer() error {
	cmd, code := cmdNone, ""
	if t.in.Kind == Text {
		cmd, code = commandOf(t.in.Text)
	}
	if id, ok := confirmChoice(t.in); ok {
		return t.confirmGroup(id) // a reminder's button: any time, even after STOP (an answer, no news)
	}
	if t.silenced(cmd) {
		return nil // said STOP: silence until START, but for their rights
	}
	switch cmd {
	case cmdStop:
		return t.stop()
	case cmdStart:
		return t.start()
	case cmdHelp:
		t.say("help")
		return nil
	case cmdMyData:
		return t.myData()
	case cmdDelete:
		t.st = State{Flow: "delete", Lang: t.lang}
		t.ask(t.yesNo("delete.confirm"))
		return nil
	case cmdLeave:
		t.st = State{Flow: "leave", Lang: t.lang}
		t.ask(t.yesNo("leave.confirm"))
		return nil
	case cmdStopVolunteering:
		return t.askStopVolunteering()
	}
	switch t.st.Flow {
	case "delete":
		return t.confirmDelete()
	case "leave":
		return t.confirmLeave()
	case flowUnvolunteer:
		return t.confirmStopVolunteering()
	}
	if t.drive == nil {
		t.say("nodrive")
		return nil
	}
	switch cmd {
	case cmdVolunteer:
		return t.startVolunteering()
	case cmdGroup:
		return t.startGroup()
	case cmdMyGroups:
		return t.myGroups()
	}
	switch {
	case t.st.Flow == flowVolunteer && cmd != cmdJoin:
		return t.volunteer()
	case t.st.Flow == flowGroup && cmd != cmdJoin:
		return t.group()
	}
	return t.join(cmd, code)
}

// silenced tells whether STOP leaves this input unanswered: after it only
// START, the rights commands and the answers to their questions get
// through.
func (t *turn) silenced(cmd command) bool {
	if t.chat.StoppedAt.IsZero() || rightAfterStop(cmd) {
		return false
	}
	return cmd != cmdNone || !rightsFlows[t.st.Flow]
}

// drive returns a drive, cached.
func (e *Engine) drive(ctx context.Context, id int64) (cachedDrive, error) {
	e.mu.Lock()
	c, ok := e.drives[id]
	e.mu.Unlock()
	if ok && time.Since(c.at) < cacheFor {
		return c, nil
	}
	d, err := e.db.DriveByID(ctx, id)
	if err != nil {
		return cachedDrive{}, err
	}
	file, err := drive.Open(d.File)
	if err != nil {
		return cachedDrive{}, apperr.New(apperr.Invalid, "%v", err)
	}
	c = cachedDrive{d: d, file: file, loc: file.Location(), lang: langOr(file.Language), at: time.Now()}
	e.mu.Lock()
	e.drives[id] = c
	e.mu.Unlock()
	return c, nil
}

// day is today in the drive's calendar, for counters.
func (t *turn) day() string { return drive.DayOf(t.tx.Now, t.drive.loc) }

// questions are the yes/no questions: their buttons' id prefix and the
// catalog ids of their yes and no titles.
var questions = map[string]struct{ prefix, yes, no string }{
	"notice":         {"consent", "notice.yes", "notice.no"},
	"optin":          {"optin", "optin.yes", "optin.no"},
	"age":            {"age", "age.yes", "age.no"},
	"delete.confirm": {"del", "delete.yes", "delete.no"},
	"leave.confirm":  {"leave", "leave.yes", "leave.no"},
	"vol.offer":      {"vol", "vol.offer.yes", "vol.offer.no"},
	"vol.notice":     {"vconsent", "vol.notice.yes", "vol.notice.no"},
	"vol.wa":         {"vwa", "vol.wa.yes", "vol.wa.no"},
	"vol.work":       {"work", "vol.work.yes", "vol.work.other"},
	"unvol.confirm":  {"unvol", "unvol.yes", "unvol.no"},
	"grp.where":      {"gwhere", "grp.where.yes", "grp.where.other"},
}

// rightsFlows are the flows whose answers are heard after STOP: the
// questions the rights commands ask.
var rightsFlows = map[string]bool{"delete": true, "leave": true, flowUnvolunteer: true}

// yesNo is a question with two buttons; pairs fill its text's fields.
func (t *turn) yesNo(question string, pairs ...string) Reply {
	q := questions[question]
	return Reply{Text: t.tr(question, pairs...), Choices: []Option{
		{ID: q.prefix + ":yes", Title: t.tr(q.yes)}, {ID: q.prefix + ":no", Title: t.tr(q.no)}}}
}

// answerYesNo reads the answer to a yesNo question: a tap on its buttons,
// a button's title typed, or a typed yes or no. 0: neither.
func (t *turn) answerYesNo(question string) int {
	q := questions[question]
	switch {
	case t.in.Kind == Choice && t.in.Choice == q.prefix+":yes":
		return 1
	case t.in.Kind == Choice && t.in.Choice == q.prefix+":no":
		return -1
	case t.in.Kind != Text:
		return 0
	}
	for _, lang := range Languages {
		switch normalise(t.in.Text) {
		case normalise(tr(lang, q.yes)):
			return 1
		case normalise(tr(lang, q.no)):
			return -1
		}
	}
	return yesNo(t.in.Text)
}
