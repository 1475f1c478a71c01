package store

import (
	"context"
	"fmt"
)

// recordKnownPG is recordKnown on PostgreSQL: the conversations noted, the
// messages inserted linked to them, and the leads made, in one statement
// (one round trip where there were three), each step reading the one
// before it as recordKnown's statements did: a message inserted twice in
// the batch is stored once, a lead comes only from a message stored now,
// and the first such message of a person and drive makes it and is
// counted on its day.
func recordKnownPG(ctx context.Context, tx *Tx, msgs []WhatsAppMessage, idx []int, out []WhatsAppResult) error {
	n := len(idx)
	persons, drives, lasts := make([]int64, n), make([]int64, n), make([]int64, n)
	businesses, numbers, providers, keys, kinds, notes := make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	payloads := make([][]byte, n)
	for j, i := range idx {
		m := msgs[i]
		persons[j], drives[j], lasts[j] = out[i].PersonID, m.Drive, ms(inboundAt(m, tx.Now))
		businesses[j], numbers[j] = m.Business, m.BusinessNumber
		providers[j], keys[j], kinds[j], payloads[j], notes[j] = m.Inbox.Provider, m.Inbox.Key, m.Inbox.Kind, m.Inbox.Payload, StorableText(m.Inbox.Note, errorBytes)
	}
	type key struct{ provider, key string }
	type pair struct{ person, drive int64 }
	stored := map[key]bool{}
	made := map[pair]int64{} // new participation → the area its lead counts at
	err := tx.batch(ctx, pgStmt{query: knownStatementPG,
		args: []any{ms(tx.Now), persons, businesses, numbers, drives, lasts, providers, keys, kinds, payloads, notes, ChannelWhatsApp},
		scan: func(rows rowScanner) error {
			for rows.Next() {
				var what, a, b string
				var person, drive, area int64
				if err := rows.Scan(&what, &a, &b, &person, &drive, &area); err != nil {
					return err
				}
				if what == "in" {
					stored[key{a, b}] = true
				} else {
					made[pair{person, drive}] = area
				}
			}
			return rows.Err()
		}})
	if err != nil {
		return fmt.Errorf("store: record %d messages of known senders: %w", n, err)
	}
	var deltas []CounterDelta
	for _, i := range idx {
		m := msgs[i]
		k := key{m.Inbox.Provider, m.Inbox.Key}
		out[i].Duplicate = !stored[k]
		delete(stored, k) // a repeat later in the batch is a duplicate
		switch {
		case out[i].Duplicate:
		case m.Drive == 0:
			out[i].Note = noteNoDrive
		default:
			p := pair{out[i].PersonID, m.Drive}
			if area, ok := made[p]; ok {
				delete(made, p) // the first message of the pair made it
				out[i].NewLead = true
				deltas = append(deltas, CounterDelta{DriveID: p.drive, AreaID: area, Metric: StageLead.Metric(), Day: m.Day, Channel: ChannelWhatsApp, Value: 1})
			}
		}
	}
	return AddCounters(ctx, tx, deltas)
}

// knownStatementPG is recordKnownPG's statement. Its parameters: the time
// now ($1); the messages' people, business numbers' ids and numbers,
// drives (0: none), inbound times, providers, keys, kinds, payloads and
// notes ($2–$11, arrays in the batch's order); the channel ($12). Each
// conversation is written once, from its latest message, in key order
// (concurrent batches lock conversations alike), as NoteInbounds does.
const knownStatementPG = `WITH v AS (
		SELECT * FROM unnest($2::bigint[], $3::text[], $4::text[], $5::bigint[], $6::bigint[], $7::text[], $8::text[], $9::text[], $10::bytea[], $11::text[])
			WITH ORDINALITY AS v(person, business, business_number, drive, last_inbound, provider, key, kind, payload, note, ord)),
	conv AS (
		INSERT INTO conversations (person_id, channel, business, business_number, drive_id, last_inbound_at, created_at, updated_at, waiting_since, inbound_seq)
		SELECT person, $12, business, business_number, NULLIF(drive, 0), last_inbound, $1, $1, $1, 1
		FROM (SELECT DISTINCT ON (person, business) * FROM v ORDER BY person, business, last_inbound DESC, ord) latest
		ORDER BY person, business
		` + noteInboundConflict + `
		RETURNING id, person_id, business),
	ins AS (
		INSERT INTO inbox (provider, provider_key, kind, payload, note, received_at, processed_at, person_id, conversation_id)
		SELECT v.provider, v.key, v.kind, v.payload, v.note, $1, NULL::bigint, v.person, c.id
		FROM v JOIN conv c ON c.person_id = v.person AND c.business = v.business ORDER BY v.ord
		ON CONFLICT (provider, provider_key) DO NOTHING RETURNING provider, provider_key),
	leads AS (
		INSERT INTO participations (person_id, drive_id, channel, first_seen_at, lead_at, last_followup_at)
		SELECT DISTINCT ON (v.person, v.drive) v.person, v.drive, $12, $1, $1, NULL::bigint
		FROM v JOIN ins i ON i.provider = v.provider AND i.provider_key = v.key
		WHERE v.drive <> 0 ORDER BY v.person, v.drive, v.ord
		ON CONFLICT (person_id, drive_id) DO NOTHING
		RETURNING person_id, drive_id, ` + countArea + ` AS area)
	SELECT 'in', provider, provider_key, 0, 0, 0 FROM ins
	UNION ALL SELECT 'lead', '', '', person_id, drive_id, area FROM leads`
