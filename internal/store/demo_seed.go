package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// DemoHistory is jodo demo's generated history of its drive
// (internal/demo), written at once by SeedDemo. Rows refer to people by
// their index in People; the store gives the ids.
type DemoHistory struct {
	DriveID      int64
	People       []DemoPerson
	Groups       []DemoGroup
	Appointments []DemoAppointment
	Credits      []DemoCredit
	// Counters are what the history's events counted, as the live paths
	// count them, summed per key by the generator.
	Counters []CounterDelta
}

// DemoPerson is one person of the history and their participation in the
// drive: a stage's zero time is a stage not reached.
type DemoPerson struct {
	Phone, WAID    string // WAID "": no WhatsApp contact
	Name, Language string
	NameKeys       []string
	AreaID         int64  // 0: not known (a lead who never registered)
	MembershipNo   string // "": a lead
	Channel        string
	ReferredBy     int // 1 + the referrer's index; 0: nobody
	FirstSeen      time.Time
	Registered     time.Time
	Verified       time.Time // the phone proven too
	Volunteer      time.Time
	Active         time.Time
	Credited       time.Time // their verification credited their referrers
	Consents       []Consent // granted at Registered
	VolunteerVia   string    // the volunteering's channel
	Languages      string    // a volunteer's, comma-separated
	Handles        []Handle
}

// DemoGroup is a live group a volunteer of the history registered.
type DemoGroup struct {
	Person         int
	AreaID         int64
	Kind, Channel  string
	CodeHash       string
	Seal           func(id int64) string // the sealed invite, under the group's id
	Name, Language string
	Size           string
	RegisteredAt   time.Time
}

// DemoAppointment is a post a volunteer of the history holds.
type DemoAppointment struct {
	Person      int
	Post        string
	AreaID      int64
	Many        bool
	At          time.Time
	AppointedBy string
}

// DemoCredit is a recruiter's credit for verified recruits.
type DemoCredit struct {
	Person           int
	Direct, Indirect int64
	At               time.Time
}

// DemoSeeded reports whether the drive has anyone in it yet: the demo
// generates its history only into an empty drive, so a restart keeps
// what is there (and a start that failed half-way tries again).
func DemoSeeded(ctx context.Context, tx *Tx, driveID int64) (bool, error) {
	var any bool
	err := tx.queryRow(ctx, `SELECT EXISTS (SELECT 1 FROM participations WHERE drive_id = $1)`, driveID).Scan(&any)
	if err != nil {
		return false, fmt.Errorf("store: is drive %d seeded: %w", driveID, err)
	}
	return any, nil
}

// SeedDemo writes h in tx, in bulk statements of bulkBatch rows, and adds
// its counters.
func SeedDemo(ctx context.Context, tx *Tx, h DemoHistory) error {
	people, err := reserveIDs(ctx, tx, "people", len(h.People))
	if err != nil {
		return err
	}
	parts, err := reserveIDs(ctx, tx, "participations", len(h.People))
	if err != nil {
		return err
	}
	for _, step := range []func(context.Context, *Tx, DemoHistory, []int64, []int64) error{
		seedPeople, seedContacts, seedParticipations, seedVolunteers, seedConsents, seedHandles,
		seedGroups, seedAppointments, seedCredits,
	} {
		if err := step(ctx, tx, h, people, parts); err != nil {
			return err
		}
	}
	return AddCounters(ctx, tx, h.Counters)
}

func seedPeople(ctx context.Context, tx *Tx, h DemoHistory, people, _ []int64) error {
	err := bulkInsert(ctx, tx, `INSERT INTO people (id, name, language, area_id, membership_no, created_at, updated_at) VALUES `,
		"", 7, len(h.People), func(i int, args []any) []any {
			p := h.People[i]
			updated := p.FirstSeen
			if !p.Registered.IsZero() {
				updated = p.Registered
			}
			return append(args, people[i], p.Name, p.Language, optionalID(p.AreaID), optionalText(p.MembershipNo),
				ms(p.FirstSeen), ms(updated))
		})
	if err != nil {
		return err
	}
	return insertNameKeys(ctx, tx, people, func(i int) []string { return h.People[i].NameKeys })
}

// insertNameKeys writes the search keys of people (ids), keysOf(i) being
// person i's.
func insertNameKeys(ctx context.Context, tx *Tx, ids []int64, keysOf func(i int) []string) error {
	type key struct {
		person int64
		key    string
	}
	var keys []key
	for i, id := range ids {
		for _, k := range keysOf(i) {
			keys = append(keys, key{id, k})
		}
	}
	return bulkInsert(ctx, tx, `INSERT INTO person_name_keys (key, person_id) VALUES `, ` ON CONFLICT DO NOTHING`, 2, len(keys),
		func(n int, args []any) []any { return append(args, keys[n].key, keys[n].person) })
}

func seedContacts(ctx context.Context, tx *Tx, h DemoHistory, people, _ []int64) error {
	type contact struct {
		person      int64
		kind, value string
		verified    time.Time
		created     time.Time
	}
	var cs []contact
	for i, p := range h.People {
		cs = append(cs, contact{people[i], ContactPhone, p.Phone, p.Verified, p.FirstSeen})
		if p.WAID != "" {
			cs = append(cs, contact{people[i], ContactWAID, p.WAID, time.Time{}, p.FirstSeen})
		}
	}
	return bulkInsert(ctx, tx, `INSERT INTO contact_points (person_id, kind, value, verified_at, created_at) VALUES `, "", 5, len(cs),
		func(n int, args []any) []any {
			c := cs[n]
			return append(args, c.person, c.kind, c.value, nullMS(c.verified), ms(c.created))
		})
}

func seedParticipations(ctx context.Context, tx *Tx, h DemoHistory, people, parts []int64) error {
	return bulkInsert(ctx, tx, `INSERT INTO participations (id, person_id, drive_id, channel, area_id, referred_by, first_seen_at,
		lead_at, registered_at, verified_at, volunteer_at, active_at) VALUES `, "", 12, len(h.People), func(i int, args []any) []any {
		p := h.People[i]
		var referrer int64
		if p.ReferredBy > 0 {
			referrer = people[p.ReferredBy-1]
		}
		return append(args, parts[i], people[i], h.DriveID, p.Channel, optionalID(p.AreaID), optionalID(referrer),
			ms(p.FirstSeen), ms(p.FirstSeen), nullMS(p.Registered), nullMS(p.Verified), nullMS(p.Volunteer), nullMS(p.Active))
	})
}

func seedVolunteers(ctx context.Context, tx *Tx, h DemoHistory, people, parts []int64) error {
	vols := indexes(h.People, func(p DemoPerson) bool { return !p.Volunteer.IsZero() })
	return bulkInsert(ctx, tx, `INSERT INTO volunteers (participation_id, person_id, drive_id, area_id, languages, channel,
		started_at, updated_at) VALUES `, "", 8, len(vols), func(n int, args []any) []any {
		i := vols[n]
		p := h.People[i]
		return append(args, parts[i], people[i], h.DriveID, p.AreaID, p.Languages, p.VolunteerVia, ms(p.Volunteer), ms(p.Volunteer))
	})
}

func seedConsents(ctx context.Context, tx *Tx, h DemoHistory, people, _ []int64) error {
	var all []Consent
	for i, p := range h.People {
		for _, c := range p.Consents {
			c.PersonID = people[i]
			all = append(all, c)
		}
	}
	return bulkInsert(ctx, tx, `INSERT INTO consents (person_id, purpose, notice_version, language, channel, evidence,
		granted_at) VALUES `, "", 7, len(all), func(n int, args []any) []any {
		c := all[n]
		return append(args, c.PersonID, c.Purpose, c.NoticeVersion, c.Language, c.Channel, c.Evidence, ms(c.GrantedAt))
	})
}

func seedHandles(ctx context.Context, tx *Tx, h DemoHistory, people, _ []int64) error {
	type handle struct {
		person int64
		Handle
	}
	var all []handle
	for i, p := range h.People {
		for _, hd := range p.Handles {
			all = append(all, handle{people[i], hd})
		}
	}
	return bulkInsert(ctx, tx, `INSERT INTO handles (person_id, platform, handle, created_at) VALUES `, "", 4, len(all),
		func(n int, args []any) []any {
			return append(args, all[n].person, all[n].Platform, all[n].Handle.Handle, ms(all[n].CreatedAt))
		})
}

func seedGroups(ctx context.Context, tx *Tx, h DemoHistory, people, parts []int64) error {
	ids, err := reserveIDs(ctx, tx, "chat_groups", len(h.Groups))
	if err != nil {
		return err
	}
	return bulkInsert(ctx, tx, `INSERT INTO chat_groups (id, drive_id, person_id, participation_id, area_id, kind, code_hash,
		code_sealed, name, language, size, channel, state, registered_at, confirmed_at, state_at) VALUES `, "", 16, len(h.Groups),
		func(n int, args []any) []any {
			g := h.Groups[n]
			at := ms(g.RegisteredAt)
			return append(args, ids[n], h.DriveID, people[g.Person], parts[g.Person], g.AreaID, g.Kind, g.CodeHash, g.Seal(ids[n]),
				g.Name, g.Language, g.Size, g.Channel, GroupLive, at, at, at)
		})
}

func seedAppointments(ctx context.Context, tx *Tx, h DemoHistory, people, parts []int64) error {
	return bulkInsert(ctx, tx, `INSERT INTO appointments (drive_id, post, area_id, person_id, participation_id, many,
		appointed_at, appointed_by) VALUES `, "", 8, len(h.Appointments), func(n int, args []any) []any {
		a := h.Appointments[n]
		many := 0
		if a.Many {
			many = 1
		}
		return append(args, h.DriveID, a.Post, a.AreaID, people[a.Person], parts[a.Person], many, ms(a.At), a.AppointedBy)
	})
}

func seedCredits(ctx context.Context, tx *Tx, h DemoHistory, people, parts []int64) error {
	err := bulkInsert(ctx, tx, `INSERT INTO recruiter_credits (drive_id, person_id, area_id, direct, indirect, updated_at) VALUES `,
		"", 6, len(h.Credits), func(n int, args []any) []any {
			c := h.Credits[n]
			return append(args, h.DriveID, people[c.Person], optionalID(h.People[c.Person].AreaID), c.Direct, c.Indirect, ms(c.At))
		})
	if err != nil {
		return err
	}
	credited := indexes(h.People, func(p DemoPerson) bool { return !p.Credited.IsZero() })
	return bulkInsert(ctx, tx, `INSERT INTO referral_credited (participation_id, at) VALUES `, "", 2, len(credited),
		func(n int, args []any) []any {
			return append(args, parts[credited[n]], ms(h.People[credited[n]].Credited))
		})
}

// indexes is the positions of the people keep holds for.
func indexes(people []DemoPerson, keep func(DemoPerson) bool) []int {
	var out []int
	for i, p := range people {
		if keep(p) {
			out = append(out, i)
		}
	}
	return out
}

// nullMS stores a zero time as NULL.
func nullMS(t time.Time) sql.NullInt64 { return sql.NullInt64{Int64: ms(t), Valid: !t.IsZero()} }
