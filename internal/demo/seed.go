package demo

import (
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/jodo-org/jodo/internal/store"
)

// World is what a history is generated into: the demo drive, its window
// and its constituencies.
type World struct {
	DriveID, RootID int64
	Start, End      time.Time // the drive's first day's and last day's midnights
	Zone            *time.Location
	Now             time.Time
	ACs             []AC
}

// AC is a constituency of the drive: its PC and the members it is to
// bring by the drive's last day.
type AC struct {
	ID, PCID      int64
	MembersTarget int64
}

// Options choose a history: Seed picks it, Scale its size (1 is the
// demo's: the whole drive's members as the dashboard should show them).
type Options struct {
	Seed  int64
	Scale float64
}

// The history's shape: how many ACs run ahead (past their whole target
// already, so far past their share of it to date), how many far behind
// (below 40 % of their share to date), and the funnel's shares.
const (
	aheadACs        = 4
	behindShare     = 0.3  // of the ACs, below 40 % of their share
	strayLeads      = 0.35 // leads who never register, per member
	volunteerShare  = 0.07 // of members
	referredShare   = 0.3  // of members, who came through a referral
	handleShare     = 0.6  // of volunteers
	convenorShare   = 0.5  // of ACs with an AC convenor
	coordinatorPCs  = 0.8  // of PCs with a PC coordinator
	demoAppointedBy = "demo"
)

// Plan generates the history of w for o: the same options give the same
// history, row for row (but for membership numbers and sealed invites,
// which are random as everywhere).
func Plan(w World, o Options) store.DemoHistory {
	g := &planner{w: w, seed: uint64(o.Seed), scale: o.Scale}
	g.people()
	g.refer()
	g.volunteer()
	g.appoint()
	h := store.DemoHistory{DriveID: w.DriveID, People: g.ps, Groups: g.groups, Appointments: g.appts, Credits: g.credits}
	h.Counters = count(w, h)
	return h
}

// planner is one generation's state. Each person draws from a stream of
// their own (stream), so that what one draws (a time that falls after
// now, say, and a registration that has not happened yet) shifts nobody
// else's: the history changes little with the hour it is made at.
type planner struct {
	w       World
	seed    uint64
	scale   float64
	ps      []store.DemoPerson
	keys    []uint64        // each person's stream, by their place in ps
	pcOf    map[int64]int64 // AC → PC
	groups  []store.DemoGroup
	appts   []store.DemoAppointment
	credits []store.DemoCredit
}

// The streams' kinds: a person's stream is (kind, their key).
const (
	streamACs = iota
	streamMember
	streamLead
	streamRefer
	streamVolunteer
	streamAppoint
)

// stream is the random stream of kind and key.
func (g *planner) stream(kind, key uint64) *rand.Rand {
	return rand.New(rand.NewPCG(g.seed, kind<<56^key))
}

// people draws every AC's members and the leads who never registered,
// then orders them by first contact, as their ids will be.
func (g *planner) people() {
	r := g.stream(streamACs, 0)
	order := r.Perm(len(g.w.ACs))
	behind := int(float64(len(g.w.ACs)) * behindShare)
	elapsed := g.w.Now.Sub(g.w.Start).Hours() / g.w.End.AddDate(0, 0, 1).Sub(g.w.Start).Hours()
	g.pcOf = map[int64]int64{}
	type planned struct {
		p   store.DemoPerson
		key uint64
	}
	var all []planned
	members := 0
	for rank, i := range order {
		ac := g.w.ACs[i]
		g.pcOf[ac.ID] = ac.PCID
		var factor float64 // of the AC's share of the target to date
		switch u := r.Float64(); {
		case rank < aheadACs:
			// Far ahead: past the whole of their target already, the
			// map's darkest band.
			factor = (1.02 + 0.2*u) / elapsed
		case rank < aheadACs+behind:
			factor = 0.1 + 0.28*u
		default:
			factor = 0.6 + u
		}
		n := int(math.Round(factor * float64(ac.MembersTarget) * elapsed * g.scale))
		for j := range n {
			key := uint64(i)<<32 | uint64(j)
			all = append(all, planned{g.member(g.stream(streamMember, key), ac.ID), key})
		}
		members += n
	}
	for k := range int(float64(members) * strayLeads) {
		key := 1<<48 | uint64(k)
		all = append(all, planned{g.lead(g.stream(streamLead, key)), key})
	}
	slices.SortStableFunc(all, func(a, b planned) int { return a.p.FirstSeen.Compare(b.p.FirstSeen) })
	for _, a := range all {
		g.ps = append(g.ps, a.p)
		g.keys = append(g.keys, a.key)
	}
	keys := map[string][]string{}
	for i := range g.ps {
		p := &g.ps[i]
		p.Phone = SeededPhone(i)
		if p.Channel == "whatsapp" {
			p.WAID = p.Phone[1:] // WhatsApp's id: the number without "+"
		}
		if p.Name != "" {
			p.NameKeys = nameKeys(keys, p.Name)
		}
	}
}

// lead is someone who gave a missed call or wrote once, and went no
// further.
func (g *planner) lead(r *rand.Rand) store.DemoPerson {
	channel := "missed_call"
	if r.Float64() < 0.2 {
		channel = "whatsapp"
	}
	return store.DemoPerson{Channel: channel, FirstSeen: g.when(r)}
}

// member is someone who registered at the AC, by one of the drive's ways
// in: a missed call and the SMS link, WhatsApp, or the web form.
func (g *planner) member(r *rand.Rand, acID int64) store.DemoPerson {
	p := store.DemoPerson{FirstSeen: g.when(r)}
	switch u := r.Float64(); {
	case u < 0.45:
		p.Channel = "missed_call"
		p.Registered = g.after(r, p.FirstSeen, 3*time.Minute, 8*time.Hour)
	case u < 0.8:
		p.Channel = "whatsapp"
		p.Registered = g.after(r, p.FirstSeen, 2*time.Minute, 20*time.Minute)
	default:
		p.Channel = "web"
		p.Registered = p.FirstSeen
	}
	if p.Registered.IsZero() {
		return p // still a lead: they have not answered yet
	}
	p.AreaID = acID
	p.Language = "hi"
	if r.Float64() < 0.2 {
		p.Language = "en"
	}
	p.Name = name(r, p.Language)
	if p.Channel != "web" { // the link or WhatsApp proved their phone
		p.Verified = p.Registered
	} else if r.Float64() < 0.35 {
		p.Verified = g.after(r, p.Registered, 10*time.Minute, 24*time.Hour)
	}
	via := p.Channel
	if via == "missed_call" {
		via = "web" // registered through the SMS's link
	}
	p.Consents = []store.Consent{consent(store.PurposeMembership, p.Language, via, p.Registered)}
	return p
}

// consent is a purpose granted on the demo's notice.
func consent(purpose, lang, channel string, at time.Time) store.Consent {
	return store.Consent{Purpose: purpose, NoticeVersion: NoticeVersion, Language: lang, Channel: channel,
		Evidence: "demo", GrantedAt: at}
}

// NoticeVersion is the notice the generated history's consents were given
// on.
const NoticeVersion = "demo-history"

// after is a time between lo and hi after t, skewed to the early end, or
// zero when that is still to come.
func (g *planner) after(r *rand.Rand, t time.Time, lo, hi time.Duration) time.Time {
	u := r.Float64()
	at := t.Add(lo + time.Duration(u*u*float64(hi-lo))).Truncate(time.Second)
	if at.After(g.w.Now) {
		return time.Time{}
	}
	return at
}
