package store

import (
	"context"
	"fmt"
)

// recordCallsPG stores a batch of calls on PostgreSQL in one statement:
// the callers seen for the first time get a person (ids drawn from the
// sequence first, so each phone knows its own) and a phone contact point,
// the raw items are inserted already linked to their people (no second
// write of each inbox row), and every new call's caller becomes a lead of
// its drive unless they are one, the first call of a person and drive
// winning. A call whose id is stored already is a duplicate and makes no
// one. A phone another transaction registered meanwhile keeps its own
// person: the spare row is removed, and those calls are linked and made
// leads the ordinary way.
func recordCallsPG(ctx context.Context, tx *Tx, recs []CallRecord, items []InboxItem, known map[string]int64, out []CallResult) error {
	n := len(recs)
	providers, keys, kinds, notes, phones := make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	payloads := make([][]byte, n)
	people, drives, ats := make([]int64, n), make([]int64, n), make([]int64, n)
	for i, r := range recs {
		it := items[i]
		providers[i], keys[i], kinds[i], payloads[i], notes[i] = it.Provider, it.Key, it.Kind, it.Payload, StorableText(it.Note, errorBytes)
		if out[i].Note == "" && r.Phone != "" && r.Drive != 0 {
			phones[i], people[i], drives[i], ats[i] = r.Phone, known[r.Phone], r.Drive, ms(r.At)
		}
	}
	type key struct{ provider, key string }
	type pair struct{ person, drive int64 }
	stored := map[key][2]int64{} // the calls inserted: their person and inbox id
	fresh := map[string]int64{}  // phone → the person made for it here
	made := map[string]int64{}   // phone → id drawn, whether or not its contact was stored
	leads := map[pair]int64{}    // new participation → the area its lead counts at
	err := tx.batch(ctx, pgStmt{query: `WITH input AS (
			SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bytea[], $5::text[], $6::text[], $7::bigint[], $8::bigint[], $9::bigint[])
				WITH ORDINALITY AS i(provider, key, kind, payload, note, phone, person, drive, at, ord)),
		firsts AS (SELECT DISTINCT ON (provider, key) * FROM input ORDER BY provider, key, ord),
		fresh AS MATERIALIZED (
			SELECT phone, nextval(pg_get_serial_sequence('people', 'id')) AS id FROM (SELECT DISTINCT phone FROM firsts f
				WHERE phone <> '' AND person = 0
					AND NOT EXISTS (SELECT 1 FROM inbox b WHERE b.provider = f.provider AND b.provider_key = f.key)) p),
		new_people AS (INSERT INTO people (id, created_at, updated_at) SELECT id, $10, $10 FROM fresh),
		new_phones AS (INSERT INTO contact_points (person_id, kind, value, created_at) SELECT id, $11, phone, $10 FROM fresh
			ON CONFLICT (kind, value) DO NOTHING RETURNING value, person_id),
		calls AS (INSERT INTO inbox (provider, provider_key, kind, payload, note, received_at, processed_at, person_id)
			SELECT f.provider, f.key, f.kind, f.payload, f.note, $10, $10,
				CASE WHEN f.phone = '' THEN NULL WHEN f.person <> 0 THEN f.person ELSE p.person_id END
			FROM firsts f LEFT JOIN new_phones p ON p.value = f.phone
			ON CONFLICT (provider, provider_key) DO NOTHING RETURNING provider, provider_key, person_id, id),
		new_leads AS (INSERT INTO participations (person_id, drive_id, channel, first_seen_at, lead_at)
			SELECT DISTINCT ON (c.person_id, f.drive) c.person_id, f.drive, $12, f.at, f.at
			FROM calls c JOIN firsts f ON f.provider = c.provider AND f.key = c.provider_key
			WHERE c.person_id IS NOT NULL AND f.drive <> 0 ORDER BY c.person_id, f.drive, f.ord
			ON CONFLICT (person_id, drive_id) DO NOTHING RETURNING person_id, drive_id, ` + countArea + ` AS area)
		SELECT 'call', provider, provider_key, COALESCE(person_id, 0), id, 0 FROM calls
		UNION ALL SELECT 'fresh', '', phone, id, 0, 0 FROM fresh
		UNION ALL SELECT 'phone', '', value, person_id, 0, 0 FROM new_phones
		UNION ALL SELECT 'lead', '', '', person_id, drive_id, area FROM new_leads`,
		args: []any{providers, keys, kinds, payloads, notes, phones, people, drives, ats, ms(tx.Now), ContactPhone, "missed_call"},
		scan: func(rows rowScanner) error {
			for rows.Next() {
				var what, a, b string
				var id, drive, area int64
				if err := rows.Scan(&what, &a, &b, &id, &drive, &area); err != nil {
					return err
				}
				switch what {
				case "call":
					stored[key{a, b}] = [2]int64{id, drive}
				case "fresh":
					made[b] = id
				case "phone":
					fresh[b] = id
				default:
					leads[pair{id, drive}] = area
				}
			}
			return rows.Err()
		}})
	if err != nil {
		return fmt.Errorf("store: record calls: %w", err)
	}
	var spare []any
	var raced []string
	for phone, id := range made {
		if fresh[phone] != id {
			spare, raced = append(spare, id), append(raced, phone)
		}
	}
	if len(raced) > 0 {
		if _, err := tx.exec(ctx, "DELETE FROM people WHERE id IN ("+placeholders(len(spare), 1)+")", spare...); err != nil {
			return fmt.Errorf("store: drop spare callers: %w", err)
		}
		if err := findRaced(ctx, tx, raced, fresh); err != nil {
			return err
		}
	}
	var late []int // calls of raced phones: linked and made leads below
	var links []InboxPerson
	var deltas []CounterDelta
	for i, r := range recs {
		call, ok := stored[key{items[i].Provider, items[i].Key}]
		person := call[0]
		if !ok {
			out[i].Duplicate = true
			continue
		}
		delete(stored, key{items[i].Provider, items[i].Key}) // a repeat later in the batch is a duplicate
		if phones[i] == "" {
			continue
		}
		if person == 0 { // its phone raced
			out[i].PersonID = fresh[r.Phone]
			late = append(late, i)
			links = append(links, InboxPerson{InboxID: call[1], PersonID: out[i].PersonID})
			continue
		}
		out[i].PersonID = person
		if known[r.Phone] == 0 && made[r.Phone] == person {
			out[i].NewPerson = true
			known[r.Phone] = person // a second call in the batch finds the person made by the first
		}
		k := pair{person, r.Drive}
		if area, ok := leads[k]; ok {
			delete(leads, k) // the first call of the pair made it
			out[i].NewLead = true
			deltas = append(deltas, CounterDelta{DriveID: k.drive, AreaID: area, Metric: StageLead.Metric(), Day: r.Day, Channel: "missed_call", Value: 1})
		}
	}
	if err := AddCounters(ctx, tx, deltas); err != nil {
		return err
	}
	if len(late) == 0 {
		return nil
	}
	// The raced calls' rows were stored without a person.
	if err := LinkInbox(ctx, tx, links); err != nil {
		return err
	}
	return createLeads(ctx, tx, recs, late, out)
}
