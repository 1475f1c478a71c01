package store

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
)

// The rows of a person's rights over their data (DESIGN.md §7): what Jodo
// holds and did (PersonMessages, PersonParticipations, AuditLog) and
// erasure (ErasePersonalData). The use-cases are package people's.

// PersonMessage is a message sent to a person, as they may see it.
type PersonMessage struct {
	ID        int64
	Channel   string
	State     string
	Error     string
	Body      string
	CreatedAt time.Time
}

// PersonMessages returns up to limit of a person's outbox messages, newest
// first. A message still waiting to go shows its summary, not its body:
// the person sees that a sign-in code was sent, never the code.
func PersonMessages(ctx context.Context, tx *Tx, personID int64, limit int) ([]PersonMessage, error) {
	rows, err := tx.query(ctx, `SELECT id, channel, state, error,
		CASE WHEN summary <> '' THEN summary ELSE body END, created_at FROM outbox
		WHERE person_id = $1 ORDER BY id DESC LIMIT $2`, personID, limit)
	if err != nil {
		return nil, fmt.Errorf("store: messages of person %d: %w", personID, err)
	}
	defer rows.Close()
	var out []PersonMessage
	for rows.Next() {
		var m PersonMessage
		var created int64
		if err := rows.Scan(&m.ID, &m.Channel, &m.State, &m.Error, &m.Body, &created); err != nil {
			return nil, fmt.Errorf("store: messages of person %d: %w", personID, err)
		}
		m.CreatedAt = fromMS(created)
		out = append(out, m)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: messages of person %d: %w", personID, err)
	}
	return out, nil
}

// PersonParticipation is a person's participation with its drive's names.
type PersonParticipation struct {
	Participation
	DriveSlug string
	DriveName string
	// DriveNameLocal is the drive's name in Hindi, "" when it has none.
	DriveNameLocal string
	RootArea       string // the code of the drive's root area
}

// PersonParticipations returns a person's participations, first joined
// first.
func PersonParticipations(ctx context.Context, tx *Tx, personID int64) ([]PersonParticipation, error) {
	rows, err := tx.query(ctx, `SELECT p.id, p.person_id, p.drive_id, p.channel, p.area_id, p.referred_by,
			p.registered_by, p.first_seen_at, p.lead_at, p.registered_at, p.verified_at, p.volunteer_at, p.active_at,
			p.last_followup_at, d.slug, d.name, d.name_local, a.code
		FROM participations p JOIN drives d ON d.id = p.drive_id JOIN areas a ON a.id = d.root_area_id
		WHERE p.person_id = $1 ORDER BY p.first_seen_at, p.id`, personID)
	if err != nil {
		return nil, fmt.Errorf("store: participations of person %d: %w", personID, err)
	}
	defer rows.Close()
	var out []PersonParticipation
	for rows.Next() {
		var pp PersonParticipation
		p := &pp.Participation
		var area, referrer, enroller, lead, registered, verified, volunteer, active, followup sql.NullInt64
		var firstSeen int64
		if err := rows.Scan(&p.ID, &p.PersonID, &p.DriveID, &p.Channel, &area, &referrer, &enroller, &firstSeen,
			&lead, &registered, &verified, &volunteer, &active, &followup, &pp.DriveSlug, &pp.DriveName, &pp.DriveNameLocal, &pp.RootArea); err != nil {
			return nil, fmt.Errorf("store: participations of person %d: %w", personID, err)
		}
		p.AreaID, p.ReferredBy, p.RegisteredBy = area.Int64, referrer.Int64, enroller.Int64
		p.FirstSeenAt = fromMS(firstSeen)
		p.LeadAt, p.RegisteredAt, p.VerifiedAt = fromNullMS(lead), fromNullMS(registered), fromNullMS(verified)
		p.VolunteerAt, p.ActiveAt, p.LastFollowupAt = fromNullMS(volunteer), fromNullMS(active), fromNullMS(followup)
		out = append(out, pp)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: participations of person %d: %w", personID, err)
	}
	return out, nil
}

// InboxPerson ties a raw inbox item to the person it made or found.
type InboxPerson struct {
	InboxID  int64
	PersonID int64
}

// LinkInbox records the person of each raw item, in one statement, so
// that erasing the person finds the payload.
func LinkInbox(ctx context.Context, tx *Tx, links []InboxPerson) error {
	if len(links) == 0 {
		return nil
	}
	var cases strings.Builder
	args := make([]any, 0, 2*len(links))
	ids := make([]string, len(links))
	for i, l := range links {
		fmt.Fprintf(&cases, " WHEN $%d THEN CAST($%d AS BIGINT)", 2*i+1, 2*i+2)
		ids[i] = fmt.Sprintf("$%d", 2*i+1)
		args = append(args, l.InboxID, l.PersonID)
	}
	err := tx.later(ctx, "UPDATE inbox SET person_id = CASE id"+cases.String()+" END WHERE id IN ("+strings.Join(ids, ",")+")", args...)
	if err != nil {
		return fmt.Errorf("store: link %d inbox items to people: %w", len(links), err)
	}
	return nil
}

// Erased replaces personal data that must stay a row (a message's body
// and address) and is the note on a raw item whose payload was removed.
const Erased = "[erased]"

// ErasePersonalData removes a person's personal data from every table, in
// tx, and returns their phones (E.164) so the caller can keep a keyed hash
// of each as a suppression: ErasePerson (name, area, membership number,
// contact points, consents), the bodies and addresses of their messages
// (queued ones fail instead of going out) and of those sent to their
// phones before the phones had a person, their raw inbox payloads, their
// conversations' bot state, their sessions, their phones' sign-in codes
// and their registration links, their handles and the languages they
// volunteered in. Their WhatsApp message ids, which carry
// the number, are kept only as keyed hashes (ErasedID, with keyed as the
// keyed hash). Participations, volunteer rows (the area and
// dates), appointments (the org chart's history), message states and counters stay: the
// aggregates do not change. The raw items stay too, emptied, so a provider
// replaying one still finds it a duplicate and cannot recreate the person.
// When and why a person is erased, and what is kept of the phones, is the
// caller's (package people).
func ErasePersonalData(ctx context.Context, tx *Tx, personID int64, keyed func(string) string) ([]string, error) {
	contacts, err := ErasePerson(ctx, tx, personID)
	if err != nil {
		return nil, err
	}
	var phones, digits []string
	for _, c := range contacts {
		if c.Kind == ContactPhone {
			phones = append(phones, c.Value)
		}
		if d := nationalDigits(c.Value); d != "" && (c.Kind == ContactPhone || c.Kind == ContactWAID) {
			digits = append(digits, d)
		}
	}
	slices.Sort(digits) // a wa_id is usually the phone again
	if err := blankMessages(ctx, tx, "person_id = $3", personID); err != nil {
		return nil, err
	}
	if err := forgetSent(ctx, tx, keyed, personID, "person_id = $1", personID); err != nil {
		return nil, err
	}
	if err := eraseInbox(ctx, tx, keyed, personID, slices.Compact(digits)); err != nil {
		return nil, err
	}
	if _, err := RevokeSessions(ctx, tx, personID); err != nil {
		return nil, err
	}
	if err := forgetStaff(ctx, tx, personID); err != nil {
		return nil, err
	}
	if err := forgetVolunteering(ctx, tx, personID); err != nil {
		return nil, err
	}
	if err := forgetReferrals(ctx, tx, personID); err != nil {
		return nil, err
	}
	if err := forgetImported(ctx, tx, personID, phones); err != nil {
		return nil, err
	}
	if err := forgetRequests(ctx, tx, personID); err != nil {
		return nil, err
	}
	// A conversation stays (its window lets the erasure's confirmation go);
	// what the bot had gathered in it goes.
	if _, err := tx.exec(ctx, "UPDATE conversations SET state = '{}' WHERE person_id = $1", personID); err != nil {
		return nil, fmt.Errorf("store: erase conversations of person %d: %w", personID, err)
	}
	for _, p := range phones {
		if err := forgetSignin(ctx, tx, p); err != nil {
			return nil, err
		}
	}
	return phones, endLinks(ctx, tx, personID)
}

// ForgetPhone removes what is held of a phone outside any person: its
// sign-in codes, the bodies and address of the messages sent to it while
// it was tied to no one (a sign-in code), and the raw items tied to no one
// that hold it (a delivery report of such a message). keyed is as for
// ErasePersonalData.
func ForgetPhone(ctx context.Context, tx *Tx, phone string, keyed func(string) string) error {
	if err := forgetSignin(ctx, tx, phone); err != nil {
		return err
	}
	if d := nationalDigits(phone); d != "" {
		return emptyUnlinked(ctx, tx, keyed, 0, []string{d})
	}
	return nil
}

// forgetSignin removes a phone's sign-in codes and blanks the messages
// sent to it while it was tied to no one.
func forgetSignin(ctx context.Context, tx *Tx, phone string) error {
	if err := blankMessages(ctx, tx, "person_id IS NULL AND to_address = $3", phone); err != nil {
		return err
	}
	if _, err := tx.exec(ctx, "DELETE FROM otp_codes WHERE phone = $1", phone); err != nil {
		return fmt.Errorf("store: forget the sign-in codes of a phone: %w", err)
	}
	return nil
}

// blankMessages blanks the messages where matches (a condition on outbox
// with $3 its argument).
func blankMessages(ctx context.Context, tx *Tx, match string, arg any) error {
	const blank = `UPDATE outbox SET body = $1, to_address = $1, summary = '', updated_at = $2,
		error = CASE WHEN state = 'queued' THEN 'not sent: the person erased their data' ELSE error END,
		state = CASE WHEN state = 'queued' THEN 'failed' ELSE state END WHERE `
	if _, err := tx.exec(ctx, blank+match, Erased, ms(tx.Now), arg); err != nil {
		return fmt.Errorf("store: erase messages: %w", err)
	}
	return nil
}

// eraseInbox empties the payloads of the person's raw items, hashes their
// WhatsApp ids and marks them processed, so no worker acts on one later
// and recreates the person.
//
// Items are found by inbox.person_id. Items with no person (received
// before the column existed, unreadable calls, delivery reports) are found
// by a fallback: a payload holding the national number's digits, written
// together or with separators ("+91 98777 00900"). It is a LIKE scan of
// those items, bounded by the inbox's retention, checked again in Go.
func eraseInbox(ctx context.Context, tx *Tx, keyed func(string) string, personID int64, digits []string) error {
	if err := forgetReceived(ctx, tx, keyed, personID); err != nil {
		return err
	}
	args := []any{[]byte{}, Erased, personID, ms(tx.Now)}
	if _, err := tx.exec(ctx, emptyInbox+" WHERE person_id = $3", args...); err != nil {
		return fmt.Errorf("store: erase inbox items of person %d: %w", personID, err)
	}
	return emptyUnlinked(ctx, tx, keyed, personID, digits)
}

// emptyInbox empties raw items and ties them to a person ($3, or NULL).
const emptyInbox = `UPDATE inbox SET payload = $1, note = $2, person_id = $3, processed_at = COALESCE(processed_at, $4),
	lease_owner = NULL, lease_until = NULL`

// emptyUnlinked empties the raw items tied to no one that hold any of
// digits, and ties them to personID (0: still no one).
func emptyUnlinked(ctx context.Context, tx *Tx, keyed func(string) string, personID int64, digits []string) error {
	args := []any{[]byte{}, Erased, optionalID(personID), ms(tx.Now)}
	for _, d := range digits {
		found, err := unlinkedHolding(ctx, tx, d)
		if err != nil {
			return fmt.Errorf("store: erase inbox items with person %d's number: %w", personID, err)
		}
		for _, it := range found {
			key := erasedKey(keyed, it.Provider, it.Kind, it.Key)
			if _, err := tx.exec(ctx, emptyInbox+", provider_key = $5 WHERE id = $6", append(args, key, it.ID)...); err != nil {
				return fmt.Errorf("store: erase inbox item %d: %w", it.ID, err)
			}
		}
	}
	return nil
}

// unlinkedHolding returns the raw items tied to no one whose payload holds
// the digits, together or with separators between them.
func unlinkedHolding(ctx context.Context, tx *Tx, digits string) ([]InboxRow, error) {
	// Any spelling has the digits in order: LIKE narrows, numberIn decides.
	// PostgreSQL has LIKE for bytea; SQLite's LIKE finds nothing in a BLOB
	// until it is read as text.
	pattern := "%" + strings.Join(strings.Split(digits, ""), "%") + "%"
	match := "CAST(payload AS TEXT) LIKE $1"
	if tx.Engine() == Postgres {
		match = "payload LIKE $1"
	}
	rows, err := tx.query(ctx, "SELECT id, provider, provider_key, kind, payload FROM inbox WHERE person_id IS NULL AND "+match, pattern)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	spelled := numberSpelled(digits)
	var out []InboxRow
	for rows.Next() {
		var it InboxRow
		if err := rows.Scan(&it.ID, &it.Provider, &it.Key, &it.Kind, &it.Payload); err != nil {
			return nil, err
		}
		if spelled.Match(it.Payload) {
			out = append(out, it)
		}
	}
	return out, rows.Err()
}

// numberSpelled matches digits as people and providers write them: with
// up to three spaces, dashes, dots, brackets, plus signs or URL-encoded
// spaces between any two ("98777 00900", "98777-00900", "98777+00900").
func numberSpelled(digits string) *regexp.Regexp {
	const sep = `(?:[\s\-.()+/]|%20|%2[bBdD]|\\u00a0|\x{a0}){0,3}`
	return regexp.MustCompile(strings.Join(strings.Split(digits, ""), sep))
}

// endLinks ends the person's registration links and join codes: a link
// sent before the erasure opens a page saying it has ended.
func endLinks(ctx context.Context, tx *Tx, personID int64) error {
	_, err := tx.exec(ctx, `UPDATE join_links SET expires_at = $1
		WHERE expires_at > $1 AND participation_id IN (SELECT id FROM participations WHERE person_id = $2)`, ms(tx.Now), personID)
	if err != nil {
		return fmt.Errorf("store: end the links of person %d: %w", personID, err)
	}
	return nil
}

// nationalDigits is the part of a number every spelling of it contains:
// its last ten digits (an Indian number without +91 or 0), or all of a
// shorter one; "" for fewer than seven, which would match too much.
func nationalDigits(number string) string {
	d := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, number)
	if len(d) < 7 {
		return ""
	}
	return d[max(0, len(d)-10):]
}

// forgetVolunteering deletes a person's handles and the languages of their
// volunteering; the rows that say where and when they volunteered stay, as
// participations do.
func forgetVolunteering(ctx context.Context, tx *Tx, personID int64) error {
	if err := DeleteHandles(ctx, tx, personID); err != nil {
		return err
	}
	if _, err := tx.exec(ctx, "UPDATE volunteers SET languages = '' WHERE person_id = $1", personID); err != nil {
		return fmt.Errorf("store: erase volunteering of person %d: %w", personID, err)
	}
	return nil
}

// forgetReferrals deletes a person's referral code (a link to them that
// must stop working), what their registrations came from (network prefix,
// device), the names of their groups (the groups' invites went when
// the groups ended) and their enrolments (forgetEnrolments). Their recruiter credit stays: counts, not a person.
func forgetReferrals(ctx context.Context, tx *Tx, personID int64) error {
	if err := DeleteReferralCode(ctx, tx, personID); err != nil {
		return err
	}
	if _, err := tx.exec(ctx, `DELETE FROM registration_marks WHERE participation_id IN
		(SELECT id FROM participations WHERE person_id = $1)`, personID); err != nil {
		return fmt.Errorf("store: erase registration marks of person %d: %w", personID, err)
	}
	if _, err := tx.exec(ctx, `UPDATE chat_groups SET name = '', code_hash = NULL, code_sealed = '' WHERE person_id = $1`, personID); err != nil {
		return fmt.Errorf("store: erase groups of person %d: %w", personID, err)
	}
	return forgetEnrolments(ctx, tx, personID)
}

// forgetEnrolments deletes the enrolments a person started as a volunteer
// and clears them as the enroller of the members they enrolled (who stay
// members): who signed whom up is about both.
func forgetEnrolments(ctx context.Context, tx *Tx, personID int64) error {
	if _, err := tx.exec(ctx, `DELETE FROM enrolments WHERE volunteer_id = $1`, personID); err != nil {
		return fmt.Errorf("store: erase enrolments of person %d: %w", personID, err)
	}
	if _, err := tx.exec(ctx, `UPDATE participations SET registered_by = NULL WHERE registered_by = $1`, personID); err != nil {
		return fmt.Errorf("store: erase enroller %d: %w", personID, err)
	}
	return nil
}
