package store

import (
	"context"
	"fmt"
)

// recordLivePG gives each live call its person and makes the new leads on
// PostgreSQL in one statement: the callers seen for the first time get a
// person (ids drawn from the sequence first, so each phone knows its own)
// and a phone contact point, and every caller's participation is made
// unless one exists, the first call of a person and drive winning. A phone
// another transaction registered meanwhile keeps its own person: the spare
// row is removed and those calls are made leads the ordinary way.
func recordLivePG(ctx context.Context, tx *Tx, recs []CallRecord, live []int, known map[string]int64, out []CallResult) error {
	n := len(live)
	phones, people, drives, ats := make([]string, n), make([]int64, n), make([]int64, n), make([]int64, n)
	for j, i := range live {
		phones[j], people[j], drives[j], ats[j] = recs[i].Phone, known[recs[i].Phone], recs[i].Drive, ms(recs[i].At)
	}
	fresh := map[string]int64{} // phone → the person made for it here
	made := map[string]int64{}  // phone → id drawn, whether or not its contact was stored
	type pair struct{ person, drive int64 }
	leads := map[pair]int64{} // new participation → the area its lead counts at
	err := tx.batch(ctx, pgStmt{query: `WITH input AS (
			SELECT * FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::bigint[]) WITH ORDINALITY AS i(phone, person, drive, at, ord)),
		fresh AS MATERIALIZED (
			SELECT phone, nextval(pg_get_serial_sequence('people', 'id')) AS id FROM (SELECT DISTINCT phone FROM input WHERE person = 0) f),
		new_people AS (INSERT INTO people (id, created_at, updated_at) SELECT id, $5, $5 FROM fresh),
		new_phones AS (INSERT INTO contact_points (person_id, kind, value, created_at) SELECT id, $6, phone, $5 FROM fresh
			ON CONFLICT (kind, value) DO NOTHING RETURNING value, person_id),
		callers AS (SELECT i.ord, i.drive, i.at, CASE WHEN i.person <> 0 THEN i.person ELSE p.person_id END AS person
			FROM input i LEFT JOIN new_phones p ON p.value = i.phone),
		new_leads AS (INSERT INTO participations (person_id, drive_id, channel, first_seen_at, lead_at)
			SELECT DISTINCT ON (person, drive) person, drive, $7, at, at FROM callers WHERE person IS NOT NULL ORDER BY person, drive, ord
			ON CONFLICT (person_id, drive_id) DO NOTHING RETURNING person_id, drive_id, ` + countArea + ` AS area)
		SELECT 'fresh', phone, id, 0, 0 FROM fresh
		UNION ALL SELECT 'phone', value, person_id, 0, 0 FROM new_phones
		UNION ALL SELECT 'lead', '', person_id, drive_id, area FROM new_leads`,
		args: []any{phones, people, drives, ats, ms(tx.Now), ContactPhone, "missed_call"},
		scan: func(rows rowScanner) error {
			for rows.Next() {
				var what, phone string
				var id, drive, area int64
				if err := rows.Scan(&what, &phone, &id, &drive, &area); err != nil {
					return err
				}
				switch what {
				case "fresh":
					made[phone] = id
				case "phone":
					fresh[phone] = id
				default:
					leads[pair{id, drive}] = area
				}
			}
			return rows.Err()
		}})
	if err != nil {
		return fmt.Errorf("store: record callers: %w", err)
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
	var late []int // calls of raced phones: their leads are made below
	var deltas []CounterDelta
	for _, i := range live {
		p := recs[i].Phone
		if id, ok := known[p]; ok && id != 0 {
			out[i].PersonID = id
		} else {
			out[i].PersonID = fresh[p]
			if made[p] == fresh[p] {
				out[i].NewPerson = true
				known[p] = fresh[p] // a second call in the batch finds the person made by the first
			} else {
				late = append(late, i)
				continue
			}
		}
		k := pair{out[i].PersonID, recs[i].Drive}
		if area, ok := leads[k]; ok {
			delete(leads, k) // the first call of the pair made it
			out[i].NewLead = true
			deltas = append(deltas, CounterDelta{DriveID: k.drive, AreaID: area, Metric: StageLead.Metric(), Day: recs[i].Day, Channel: "missed_call", Value: 1})
		}
	}
	if err := AddCounters(ctx, tx, deltas); err != nil {
		return err
	}
	if len(late) > 0 {
		return createLeads(ctx, tx, recs, late, out)
	}
	return nil
}
