package store

import (
	"context"
	"fmt"
)

// recordCallsPG stores a batch of calls on PostgreSQL in one statement,
// which also reads what the batch needs: the people the callers' phones
// belong to, the numbers refused as under 18, and whether the called
// numbers' owners are still those the calls were routed from (look: if
// one changed, nothing is written and errStaleRoutes says so). The callers
// seen for the first time get a person (ids drawn from the sequence first,
// so each phone knows its own) and a phone contact point, the raw items
// are inserted already linked to their people (no second write of each
// inbox row), and every new call's caller becomes a lead of its drive
// unless they are one, the first call of a person and drive winning. A
// call whose id is stored already is a duplicate and makes no one. A phone
// another transaction registered meanwhile keeps its own person: the spare
// row is removed, and those calls are linked and made leads the ordinary
// way.
//
// The statement runs with the plan its connection keeps (genericPlan),
// planned once, not afresh for every batch.
func recordCallsPG(ctx context.Context, tx *Tx, recs []CallRecord, items []InboxItem, look *CallLookup, out []CallResult, last bool) error {
	n := len(recs)
	providers, keys, kinds, notes, phones, hashes, days := make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
	payloads := make([][]byte, n)
	drives, ats := make([]int64, n), make([]int64, n)
	follow := make([]bool, n)
	for i, r := range recs {
		it := items[i]
		providers[i], keys[i], kinds[i], payloads[i], notes[i] = it.Provider, it.Key, it.Kind, it.Payload, StorableText(it.Note, errorBytes)
		if out[i].Note == "" && r.Phone != "" && r.Drive != 0 {
			phones[i], hashes[i], drives[i], ats[i], follow[i], days[i] = r.Phone, r.Hashed, r.Drive, ms(r.At), r.FollowUp, r.Day
		}
	}
	stamps := make([]string, len(look.numbers))
	for i, number := range look.numbers {
		stamps[i] = routeStamp(look.Owners, number)
	}
	type key struct{ provider, key string }
	type pair struct{ person, drive int64 }
	stored := map[key][2]int64{} // the calls inserted: their person and inbox id
	suppressed := map[key]bool{} // the calls from numbers refused as under 18
	fresh := map[string]int64{}  // phone → the person made for it here
	made := map[string]int64{}   // phone → id drawn, whether or not its contact was stored
	leads := map[pair][2]int64{} // new participation → the area its lead counts at, and its id if claimed
	known := map[string]int64{}  // phone → the person a call in this batch found or made
	var stale []string           // called numbers whose owners changed
	args := []any{providers, keys, kinds, payloads, notes, phones, hashes, drives, ats, ms(tx.Now), ContactPhone, "missed_call",
		look.numbers, stamps, look.kind, SuppressUnder18, NoteSuppressed, follow, days}
	query, send := callStatementPG, tx.batch
	if last {
		tx.shard, tx.shardHeld = tx.shards.take()
		query, send, args = callStatementLastPG, tx.batchCommit, append(args, StageLead.Metric(), tx.shard)
	}
	err := send(ctx, genericPlan, pgStmt{query: query, args: args,
		scan: func(rows rowScanner) error {
			for rows.Next() {
				var what, a, b string
				var id, drive, area, claimed int64
				if err := rows.Scan(&what, &a, &b, &id, &drive, &area, &claimed); err != nil {
					return err
				}
				switch what {
				case "call":
					stored[key{a, b}] = [2]int64{id, drive}
				case "fresh":
					made[b] = id
				case "phone":
					fresh[b] = id
				case "suppressed":
					suppressed[key{a, b}] = true
				case "stale":
					stale = append(stale, b)
				case "raced": // jodo_retry failed the statement first
				default:
					leads[pair{id, drive}] = [2]int64{area, claimed}
				}
			}
			return rows.Err()
		}}, defaultPlans)
	if err != nil {
		return fmt.Errorf("store: record calls: %w", err)
	}
	if len(stale) > 0 {
		tx.routes.forget(look.kind, stale)
		return fmt.Errorf("%w: %d numbers", errStaleRoutes, len(stale))
	}
	var spare []any
	var raced []string
	for phone, id := range made {
		if fresh[phone] != id {
			spare, raced = append(spare, id), append(raced, phone)
		}
	}
	if len(raced) > 0 && last { // the statement refuses to commit those (jodo_retry)
		return fmt.Errorf("store: record calls: %d raced phones committed", len(raced))
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
		if suppressed[key{items[i].Provider, items[i].Key}] {
			out[i].Note = NoteSuppressed
		}
		call, ok := stored[key{items[i].Provider, items[i].Key}]
		person := call[0]
		if !ok {
			out[i].Duplicate = true
			continue
		}
		delete(stored, key{items[i].Provider, items[i].Key}) // a repeat later in the batch is a duplicate
		if phones[i] == "" || out[i].Note != "" {
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
		if lead, ok := leads[k]; ok {
			delete(leads, k) // the first call of the pair made it
			out[i].NewLead, out[i].Claimed = true, lead[1]
			deltas = append(deltas, CounterDelta{DriveID: k.drive, AreaID: lead[0], Metric: StageLead.Metric(), Day: r.Day, Channel: "missed_call", Value: 1})
		}
	}
	if last {
		return nil // counted by the statement; no call was late (no phone raced)
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

// callStatementPG is recordCallsPG's statement. Its parameters: the calls'
// providers, keys, kinds, payloads, notes, phones, phone hashes, drives,
// times, follow-up flags and drive-local days ($1–$9, $18, $19, arrays in
// the calls' order), the
// time now ($10), the phone kind of contact point ($11), the channel of
// the leads ($12), the called numbers and their owners' stamps as read
// ($13, $14), the kind of those numbers ($15), the under-18 refusal
// ($16) and the note of a suppressed call ($17).
var callStatementPG = callCTEs + callResults

// callStatementLastPG is callStatementPG that also counts the leads it
// makes, as flushCounters would, for a batch whose COMMIT goes with it
// (RecordCallsLast): each lead at its area in counters, at that area and
// every ancestor in counter_totals and counter_drive_totals, summed per
// key and written in key order, on shard $21, metric $20, on the day of the
// call that made it ($19). And it fails, to be retried whole (jodo_retry),
// where a caller's phone was registered by another transaction meanwhile:
// its calls need statements of their own before COMMIT.
var callStatementLastPG = callCTEs + `,
	lead_days AS (
		SELECT DISTINCT ON (c.person_id, f.drive) c.person_id, f.drive, f.day
		FROM calls c JOIN firsts f ON f.provider = c.provider AND f.key = c.provider_key
		WHERE c.person_id IS NOT NULL AND f.drive <> 0 ORDER BY c.person_id, f.drive, f.ord),
	counted AS MATERIALIZED (
		SELECT l.drive_id AS drive, l.area, d.day, count(*) AS n
		FROM new_leads l JOIN lead_days d ON d.person_id = l.person_id AND d.drive = l.drive_id
		GROUP BY l.drive_id, l.area, d.day),
	chains AS MATERIALIZED (
		SELECT c.drive, x.id AS area, c.day, c.n FROM counted c JOIN areas a ON a.id = c.area
			JOIN areas x ON x.code = ANY (string_to_array(trim(BOTH '/' FROM a.path), '/'))),
	own_counts AS (
		INSERT INTO counters (drive_id, area_id, metric, day, channel, shard, value)
		SELECT drive, area, $20, day, $12, $21, n FROM counted ORDER BY drive, area, day
		ON CONFLICT (drive_id, area_id, metric, day, channel, shard) DO UPDATE SET value = counters.value + excluded.value),
	total_counts AS (
		INSERT INTO counter_totals (drive_id, area_id, metric, day, channel, shard, value)
		SELECT drive, area, $20, day, $12, $21, sum(n) FROM chains GROUP BY drive, area, day ORDER BY drive, area, day
		ON CONFLICT (drive_id, area_id, metric, day, channel, shard) DO UPDATE SET value = counter_totals.value + excluded.value),
	drive_counts AS (
		INSERT INTO counter_drive_totals (drive_id, area_id, metric, channel, shard, value)
		SELECT drive, area, $20, $12, $21, sum(n) FROM chains GROUP BY drive, area ORDER BY drive, area
		ON CONFLICT (drive_id, area_id, metric, channel, shard) DO UPDATE SET value = counter_drive_totals.value + excluded.value)
` + callResults + `
	UNION ALL SELECT 'raced', '', f.phone, jodo_retry('store: a caller''s phone was registered meanwhile; the batch runs again'), 0, 0, 0
		FROM fresh f WHERE NOT EXISTS (SELECT 1 FROM new_phones p WHERE p.value = f.phone)`

// callCTEs are the call statements' writes.
var callCTEs = `WITH stale AS MATERIALIZED (
		SELECT n.number FROM unnest($13::text[], $14::text[]) AS n(number, stamp) WHERE n.stamp <> ` + routeStampSQL("$15") + `),
	input AS (
		SELECT r.provider, r.key, r.kind, r.drive, r.at, r.follow, r.day, r.ord, r.hit IS NOT NULL AS hit,
			CASE WHEN r.hit IS NULL THEN r.payload ELSE '\x'::bytea END AS payload,
			CASE WHEN r.hit IS NULL THEN r.note ELSE $17 END AS note,
			CASE WHEN r.hit IS NULL THEN r.phone ELSE '' END AS phone,
			CASE WHEN r.hit IS NULL THEN COALESCE(r.known, 0) ELSE 0 END AS person
		-- Scalar subqueries, kept from being flattened (OFFSET 0): one
		-- index probe a call, never a plan that reads every phone.
		FROM (SELECT i.*,
				(SELECT true FROM suppressions s WHERE i.hash <> '' AND s.hash = i.hash AND s.reason = $16) AS hit,
				(SELECT k.person_id FROM contact_points k WHERE i.phone <> '' AND k.kind = $11 AND k.value = i.phone) AS known
			FROM unnest($1::text[], $2::text[], $3::text[], $4::bytea[], $5::text[], $6::text[], $7::text[], $8::bigint[], $9::bigint[], $18::bool[], $19::text[])
				WITH ORDINALITY AS i(provider, key, kind, payload, note, phone, hash, drive, at, follow, day, ord) OFFSET 0) r
		WHERE NOT EXISTS (SELECT 1 FROM stale)),
	firsts AS (SELECT DISTINCT ON (provider, key) * FROM input ORDER BY provider, key, ord),
	fresh AS MATERIALIZED (
		-- The sequence looked up once a statement (an InitPlan), not once a row.
		SELECT phone, nextval((SELECT pg_get_serial_sequence('people', 'id')::regclass)) AS id FROM (SELECT DISTINCT phone FROM firsts f
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
	new_leads AS (INSERT INTO participations (person_id, drive_id, channel, first_seen_at, lead_at, last_followup_at)
		SELECT DISTINCT ON (c.person_id, f.drive) c.person_id, f.drive, $12, f.at, f.at, CASE WHEN f.follow THEN $10::bigint END
		FROM calls c JOIN firsts f ON f.provider = c.provider AND f.key = c.provider_key
		WHERE c.person_id IS NOT NULL AND f.drive <> 0 ORDER BY c.person_id, f.drive, f.ord
		ON CONFLICT (person_id, drive_id) DO NOTHING
		RETURNING person_id, drive_id, ` + countArea + ` AS area, CASE WHEN last_followup_at IS NULL THEN 0 ELSE id END AS claimed)`

// callResults is what the call statements return: the calls stored, the
// people made, the leads, the suppressed calls and the stale numbers.
const callResults = `
	SELECT 'call', provider, provider_key, COALESCE(person_id, 0), id, 0, 0 FROM calls
	UNION ALL SELECT 'fresh', '', phone, id, 0, 0, 0 FROM fresh
	UNION ALL SELECT 'phone', '', value, person_id, 0, 0, 0 FROM new_phones
	UNION ALL SELECT 'lead', '', '', person_id, drive_id, area, claimed FROM new_leads
	UNION ALL SELECT 'suppressed', provider, key, 0, 0, 0, 0 FROM input WHERE hit
	UNION ALL SELECT 'stale', '', number, 0, 0, 0, 0 FROM stale`

// genericPlan and defaultPlans, sent in one round trip around the call
// statement, make PostgreSQL run it with the generic plan its connection
// keeps instead of planning it for each batch. Left to choose (plan_cache_mode
// auto), PostgreSQL compares that plan's estimated cost with its plans for
// this batch's arrays, and for small batches kept planning every one: 1.1 ms
// of its CPU a batch, more than running it. That is what several nodes
// sharing a database see, each node's batches a third the size (issue 24,
// three nodes: 2,754 plans for 3,249 batches, 240 µs of PostgreSQL CPU a call
// against 82 on one node; docs/performance.md). The plan finds each call's
// rows by index whatever the tables held when it was made (the lookups are
// fenced subqueries, the inbox's an anti-join on its unique key;
// TestCallPlanMadeOnEmptyTablesProbes), and PostgreSQL makes it again when
// ANALYZE changes a table's statistics.
var (
	genericPlan  = pgStmt{query: "SET LOCAL plan_cache_mode = force_generic_plan"}
	defaultPlans = pgStmt{query: "SET LOCAL plan_cache_mode TO DEFAULT"}
)
