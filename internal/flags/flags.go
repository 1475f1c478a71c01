// Package flags finds velocity flags for coordinators: bursts that may be
// one person or one machine inflating a drive — many verified joins
// credited to one recruiter, many registrations from one network or one
// device, many groups registered by one person — each within a short
// window. A flag is shown, never acted on: nothing here changes a count
// or a person. Networks and devices are counted, never named.
package flags

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/jodo-org/jodo/internal/access"
	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/drive"
	"github.com/jodo-org/jodo/internal/store"
)

// Kind is what a flag counts.
type Kind string

// The kinds of flag, in the order a page lists them.
const (
	Recruits Kind = "recruits" // verified joins credited to one recruiter
	Network  Kind = "network"  // registrations from one network prefix
	Device   Kind = "device"   // registrations from one device
	Groups   Kind = "groups"   // groups registered by one person
)

// Kinds are the kinds of flag in the order a page lists them.
var Kinds = []Kind{Recruits, Network, Device, Groups}

// Rule raises a flag when AtLeast events of one key fall within Within
// (first to last); AtLeast 0 turns it off.
type Rule struct {
	AtLeast int
	Within  time.Duration
}

// Rules are the thresholds (JODO_FLAG_*, docs/configuration.md) and how
// far back flags are looked for (at most the 30 days registration marks
// are kept).
type Rules struct {
	Recruits, Network, Device, Groups Rule
	Lookback                          time.Duration
}

// Rule is the rule of kind k.
func (r Rules) Rule(k Kind) Rule {
	switch k {
	case Recruits:
		return r.Recruits
	case Network:
		return r.Network
	case Device:
		return r.Device
	default:
		return r.Groups
	}
}

// Flag is one burst: Count events of one key within the rule's window,
// the first at From and the last at To; Total is that key's events since
// the lookback began. PersonID and Name are the recruiter or the groups'
// owner; a network or a device is never named.
type Flag struct {
	Kind     Kind
	PersonID int64
	Name     string
	Count    int
	From, To time.Time
	Total    int
}

// Report is the flags of a drive at an area, most events first within
// each kind, looked for since Since.
type Report struct {
	Drive store.Drive
	Area  store.Area
	Rules Rules
	Since time.Time
	Flags []Flag
}

// Flags finds the flags of drive slug at area code ("" for the drive's
// root) that lie in actor's access.PeopleRead scope: the recruiter's or
// the registration's area, the group's area. Outside the scope it is
// forbidden; an area the drive does not cover is invalid.
func (r Rules) Flags(ctx context.Context, db *store.DB, actor access.Actor, slug, code string) (Report, error) {
	if !actor.Can(access.PeopleRead) {
		return Report{}, apperr.New(apperr.Forbidden, "Your role does not allow this (it needs %s).", access.PeopleRead)
	}
	d, area, err := drive.AreaIn(ctx, db, actor.Scope(access.PeopleRead), slug, code)
	if err != nil {
		return Report{}, err
	}
	scope, err := db.ScopeAreas(ctx, []string{area.Code})
	if err != nil {
		return Report{}, err
	}
	out := Report{Drive: d, Area: area, Rules: r, Since: db.Now().Add(-r.Lookback)}
	events := map[Kind]func(context.Context, store.FlagQuery) ([]store.FlagEvent, error){
		Recruits: db.RecruitEvents, Network: db.NetworkEvents, Device: db.DeviceEvents, Groups: db.GroupEvents,
	}
	for _, k := range Kinds {
		rule := r.Rule(k)
		if rule.AtLeast <= 0 {
			continue
		}
		evs, err := events[k](ctx, store.FlagQuery{DriveID: d.ID, Scope: scope, Since: out.Since, AtLeast: rule.AtLeast})
		if err != nil {
			return Report{}, err
		}
		out.Flags = append(out.Flags, bursts(k, rule, evs)...)
	}
	return out, nil
}

// bursts are the flags in events (ordered by key, then time): for each
// key, its busiest window, if it holds at least rule.AtLeast events.
func bursts(k Kind, rule Rule, events []store.FlagEvent) []Flag {
	var out []Flag
	for start := 0; start < len(events); {
		end := start
		for end < len(events) && events[end].Key == events[start].Key {
			end++
		}
		if f, ok := busiest(rule, events[start:end]); ok {
			f.Kind, f.PersonID, f.Name = k, events[start].PersonID, events[start].Name
			out = append(out, f)
		}
		start = end
	}
	slices.SortStableFunc(out, func(a, b Flag) int { return cmp.Compare(b.Count, a.Count) })
	return out
}

// busiest slides a window of rule.Within over one key's events (in time
// order) and returns the window holding the most.
func busiest(rule Rule, events []store.FlagEvent) (Flag, bool) {
	best := Flag{Total: len(events)}
	first := 0
	for last, e := range events {
		for e.At.Sub(events[first].At) > rule.Within {
			first++
		}
		if n := last - first + 1; n > best.Count {
			best.Count, best.From, best.To = n, events[first].At, e.At
		}
	}
	return best, best.Count >= rule.AtLeast
}
