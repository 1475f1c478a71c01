package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/jodo-org/jodo/internal/apperr"
)

// ImportMatch is what an import needs to know of a person already known
// by a phone number in its file.
type ImportMatch struct {
	PersonID     int64
	Name         string
	Language     string
	AreaID       int64
	LegacyNo     string
	MembershipNo string
	InDrive      bool // they have a participation in the import's drive
}

// MatchPhones finds the live people holding phones, with whether each is
// in the drive, keyed by phone. With lock (a write transaction), on
// PostgreSQL the people found stay locked until it ends, so an erasure
// meanwhile waits for the chunk, or, first, makes them not found.
func MatchPhones(ctx context.Context, tx *Tx, driveID int64, phones []string, lock bool) (map[string]ImportMatch, error) {
	if err := customPlans(ctx, tx, true); err != nil {
		return nil, err
	}
	out, err := matchPhones(ctx, tx, driveID, phones, lock)
	if err != nil {
		return nil, err
	}
	return out, customPlans(ctx, tx, false)
}

func matchPhones(ctx context.Context, tx *Tx, driveID int64, phones []string, lock bool) (map[string]ImportMatch, error) {
	forUpdate := ""
	if lock && tx.engine == Postgres {
		forUpdate = " FOR UPDATE OF p"
	}
	out := make(map[string]ImportMatch)
	for start := 0; start < len(phones); start += bulkBatch {
		part := phones[start:min(len(phones), start+bulkBatch)]
		args := make([]any, 0, len(part)+1)
		args = append(args, driveID)
		for _, p := range part {
			args = append(args, p)
		}
		rows, err := tx.query(ctx, `SELECT c.value, p.id, p.name, p.language, COALESCE(p.area_id, 0), p.legacy_no,
				COALESCE(p.membership_no, ''), pa.id IS NOT NULL
			FROM contact_points c JOIN people p ON p.id = c.person_id
			LEFT JOIN participations pa ON pa.person_id = p.id AND pa.drive_id = `+inList(tx.engine, 1, 1)+`
			WHERE c.kind = 'phone' AND c.value IN (`+inList(tx.engine, len(part), 2)+`) AND p.erased_at IS NULL`+forUpdate, args...)
		if err != nil {
			return nil, fmt.Errorf("store: match phones: %w", err)
		}
		for rows.Next() {
			var phone string
			var m ImportMatch
			if err := rows.Scan(&phone, &m.PersonID, &m.Name, &m.Language, &m.AreaID, &m.LegacyNo, &m.MembershipNo, &m.InDrive); err != nil {
				rows.Close()
				return nil, fmt.Errorf("store: scan phone match: %w", err)
			}
			out[phone] = m
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("store: match phones: %w", err)
		}
	}
	return out, nil
}

// customPlans makes PostgreSQL plan the transaction's statements for
// their values (on) or as it likes (off). The lookup of an import's phones
// needs it: people and contact points grow from nothing by a million rows
// with no ANALYZE between, and the generic plan cached from the first
// chunks took 2 s a chunk by 200,000 rows; planning every multi-row INSERT
// afresh, though, costs three times what running it does.
func customPlans(ctx context.Context, tx *Tx, on bool) error {
	if tx.engine != Postgres {
		return nil
	}
	mode := "auto"
	if on {
		mode = "force_custom_plan"
	}
	if _, err := tx.exec(ctx, `SET LOCAL plan_cache_mode = `+mode); err != nil {
		return fmt.Errorf("store: import plans: %w", err)
	}
	return nil
}

// Suppressed returns which of hashes (SuppressionHash of phones) are
// suppressed, with the reason.
func Suppressed(ctx context.Context, tx *Tx, hashes []string) (map[string]string, error) {
	return stringsIn(ctx, tx, `SELECT hash, reason FROM suppressions WHERE hash IN `, hashes)
}

// TakenMembershipNos returns which of nos someone holds already.
func TakenMembershipNos(ctx context.Context, tx *Tx, nos []string) (map[string]string, error) {
	return stringsIn(ctx, tx, `SELECT membership_no, '' FROM people WHERE membership_no IN `, nos)
}

// stringsIn runs query (ending in "IN ") over values, bulkBatch at a time,
// and returns its two text columns as a map.
func stringsIn(ctx context.Context, tx *Tx, query string, values []string) (map[string]string, error) {
	out := make(map[string]string)
	for start := 0; start < len(values); start += bulkBatch {
		part := values[start:min(len(values), start+bulkBatch)]
		args := make([]any, len(part))
		for i, v := range part {
			args[i] = v
		}
		rows, err := tx.query(ctx, query+`(`+inList(tx.engine, len(part), 1)+`)`, args...)
		if err != nil {
			return nil, fmt.Errorf("store: %s: %w", query, err)
		}
		for rows.Next() {
			var k, v string
			if err := rows.Scan(&k, &v); err != nil {
				rows.Close()
				return nil, fmt.Errorf("store: %s: %w", query, err)
			}
			out[k] = v
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("store: %s: %w", query, err)
		}
	}
	return out, nil
}

// ImportedPerson is what one row of an import does: create a person
// (PersonID 0) or fill an existing person's gaps, and, when Join, make
// them a participant of the drive.
type ImportedPerson struct {
	Line         int64
	PersonID     int64  // 0: a new person holding Phone
	Phone        string // a new person's
	Name         string // for an existing person: "" unless they have none
	NameKeys     []string
	Language     string // likewise
	AreaID       int64  // likewise (0: leave)
	LegacyNo     string // likewise
	MembershipNo string // "": none (a lead), or an existing person's they keep
	Join         bool   // a participation in the drive is created
	Registered   bool   // the participation is a member's
	Volunteer    bool   // and a volunteer's
	Languages    string // a volunteer's
	Consents     []Consent
}

// ImportChunk is what one chunk of an import writes, in one transaction:
// its rows' people, and the import's progress.
type ImportChunk struct {
	ImportID, DriveID int64
	Through           int64 // the chunk's last line
	People            []ImportedPerson
	New, Updated      int64
	Unchanged         int64
	Refused           int64
}

// LoadImportChunk writes c. The people it creates, and the participations,
// carry the import's id; consents are granted only where the person has
// none for the purpose (their own answers win); counters do not move here:
// what the chunk did is tallied, and FinishImport counts the whole import
// at once; its staged rows are purged. A chunk already loaded
// (Through not past the import's loaded_through), or an import no longer
// loading, is a conflict and writes nothing.
func LoadImportChunk(ctx context.Context, tx *Tx, c ImportChunk) error {
	res, err := tx.exec(ctx, `UPDATE imports SET loaded_through = $1, rows_new = rows_new + $2, rows_updated = rows_updated + $3,
		rows_unchanged = rows_unchanged + $4, rows_refused = rows_refused + $5
		WHERE id = $6 AND state = $7 AND loaded_through < $1`,
		c.Through, c.New, c.Updated, c.Unchanged, c.Refused, c.ImportID, ImportLoading)
	if err != nil {
		return fmt.Errorf("store: import %d progress: %w", c.ImportID, err)
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return apperr.New(apperr.Conflict, "import %d: lines up to %d are loaded already, or it is not loading", c.ImportID, c.Through)
	}
	// The chunk's staged rows go with it: purging a million at the end
	// would hold SQLite's write lock for seconds while a server waits.
	if _, err := tx.exec(ctx, `DELETE FROM import_rows WHERE import_id = $1 AND line <= $2`, c.ImportID, c.Through); err != nil {
		return fmt.Errorf("store: purge loaded rows of import %d: %w", c.ImportID, err)
	}
	if err := createImported(ctx, tx, c); err != nil {
		return err
	}
	if err := fillImported(ctx, tx, c.People); err != nil {
		return err
	}
	if err := joinImported(ctx, tx, c); err != nil {
		return err
	}
	return tallyImported(ctx, tx, c)
}

// createImported creates the chunk's new people, with their phones and
// name keys, under ids reserved first, so the rows that hang on them need
// no read back.
func createImported(ctx context.Context, tx *Tx, c ImportChunk) error {
	var fresh []int
	for i, p := range c.People {
		if p.PersonID == 0 {
			fresh = append(fresh, i)
		}
	}
	ids, err := reserveIDs(ctx, tx, "people", len(fresh))
	if err != nil {
		return err
	}
	for n, i := range fresh {
		c.People[i].PersonID = ids[n]
	}
	now := ms(tx.Now)
	err = bulkInsert(ctx, tx, `INSERT INTO people (id, name, language, area_id, membership_no, import_id, legacy_no,
		created_at, updated_at) VALUES `, "", 9, len(fresh), func(n int, args []any) []any {
		p := c.People[fresh[n]]
		return append(args, p.PersonID, p.Name, p.Language, optionalID(p.AreaID), optionalText(p.MembershipNo), c.ImportID,
			p.LegacyNo, now, now)
	})
	if err != nil {
		return err
	}
	err = bulkInsert(ctx, tx, `INSERT INTO contact_points (person_id, kind, value, created_at) VALUES `, "", 4, len(fresh),
		func(n int, args []any) []any {
			p := c.People[fresh[n]]
			return append(args, p.PersonID, ContactPhone, p.Phone, now)
		})
	if err != nil {
		return err
	}
	return insertNameKeys(ctx, tx, ids, func(n int) []string { return c.People[fresh[n]].NameKeys })
}

// fillImported gives existing people what they lack, and nothing else:
// each field is set only while it is still empty.
func fillImported(ctx context.Context, tx *Tx, people []ImportedPerson) error {
	now := ms(tx.Now)
	for _, p := range people {
		if p.Phone != "" || p.Name+p.Language+p.LegacyNo == "" && p.AreaID == 0 && p.MembershipNo == "" {
			continue // created, or nothing to fill
		}
		_, err := tx.exec(ctx, `UPDATE people SET language = CASE WHEN language = '' THEN $1 ELSE language END,
			area_id = COALESCE(area_id, $2), legacy_no = CASE WHEN legacy_no = '' THEN $3 ELSE legacy_no END, updated_at = $4
			WHERE id = $5 AND erased_at IS NULL`, p.Language, optionalID(p.AreaID), p.LegacyNo, now, p.PersonID)
		if err != nil {
			return fmt.Errorf("store: fill person %d: %w", p.PersonID, err)
		}
		if p.Name != "" {
			res, err := tx.exec(ctx, `UPDATE people SET name = $1 WHERE id = $2 AND name = '' AND erased_at IS NULL`, p.Name, p.PersonID)
			if err != nil {
				return fmt.Errorf("store: fill name of person %d: %w", p.PersonID, err)
			}
			if n, _ := res.RowsAffected(); n == 1 {
				if err := SetNameKeys(ctx, tx, p.PersonID, p.NameKeys); err != nil {
					return err
				}
			}
		}
		if p.MembershipNo != "" {
			if _, err := GiveMembershipNo(ctx, tx, p.PersonID, p.MembershipNo); err != nil {
				return err
			}
		}
	}
	return nil
}

// joinImported creates the participations, volunteer records and consents
// of the chunk's people who join the drive.
func joinImported(ctx context.Context, tx *Tx, c ImportChunk) error {
	var joins []int
	for i, p := range c.People {
		if p.Join {
			joins = append(joins, i)
		}
	}
	ids, err := reserveIDs(ctx, tx, "participations", len(joins))
	if err != nil {
		return err
	}
	now := ms(tx.Now)
	stageAt := func(reached bool) sql.NullInt64 { return sql.NullInt64{Int64: now, Valid: reached} }
	err = bulkInsert(ctx, tx, `INSERT INTO participations (id, person_id, drive_id, channel, area_id, first_seen_at, lead_at,
		registered_at, volunteer_at, import_id) VALUES `, "", 10, len(joins), func(n int, args []any) []any {
		p := c.People[joins[n]]
		return append(args, ids[n], p.PersonID, c.DriveID, ChannelImport, optionalID(p.AreaID), now, now,
			stageAt(p.Registered), stageAt(p.Volunteer), c.ImportID)
	})
	if err != nil {
		return err
	}
	var vols []int
	for n, i := range joins {
		if c.People[i].Volunteer {
			vols = append(vols, n)
		}
	}
	err = bulkInsert(ctx, tx, `INSERT INTO volunteers (participation_id, person_id, drive_id, area_id, languages, channel,
		started_at, updated_at) VALUES `, "", 8, len(vols), func(n int, args []any) []any {
		p := c.People[joins[vols[n]]]
		return append(args, ids[vols[n]], p.PersonID, c.DriveID, p.AreaID, p.Languages, ChannelImport, now, now)
	})
	if err != nil {
		return err
	}
	return grantImported(ctx, tx, c.People)
}

// grantImported records the consents an import grants, only where the
// person has no record for the purpose: a person's own answer, given or
// withdrawn, always wins over a list.
func grantImported(ctx context.Context, tx *Tx, people []ImportedPerson) error {
	var all []Consent
	for _, p := range people {
		for _, c := range p.Consents {
			c.PersonID = p.PersonID
			all = append(all, c)
		}
	}
	for _, c := range all {
		if !validPurpose(c.Purpose) || c.NoticeVersion == "" || c.Channel == "" {
			return apperr.New(apperr.Invalid, "an imported consent needs a known purpose, a notice version and a channel")
		}
	}
	now := tx.Now
	return bulkInsert(ctx, tx, `INSERT INTO consents (person_id, purpose, notice_version, language, channel, evidence,
		granted_at) VALUES `, ` ON CONFLICT (person_id, purpose) DO NOTHING`, 7, len(all), func(n int, args []any) []any {
		c := all[n]
		at := c.GrantedAt
		if at.IsZero() || at.After(now) {
			at = now
		}
		return append(args, c.PersonID, c.Purpose, c.NoticeVersion, c.Language, c.Channel, c.Evidence, ms(at))
	})
}

// reserveIDs takes n ids of table's id sequence for rows about to be
// inserted with them. SQLite's one writer holds the transaction, so the
// next n after the table's AUTOINCREMENT high-water mark are free;
// PostgreSQL hands them out from the column's sequence.
func reserveIDs(ctx context.Context, tx *Tx, table string, n int) ([]int64, error) {
	if n == 0 {
		return nil, nil
	}
	out := make([]int64, 0, n)
	if tx.engine == SQLite {
		var last int64
		err := tx.queryRow(ctx, `SELECT COALESCE((SELECT seq FROM sqlite_sequence WHERE name = $1), 0)`, table).Scan(&last)
		if err != nil {
			return nil, fmt.Errorf("store: reserve %s ids: %w", table, err)
		}
		for i := range int64(n) {
			out = append(out, last+1+i)
		}
		return out, nil
	}
	rows, err := tx.query(ctx, `SELECT nextval((SELECT pg_get_serial_sequence($1, 'id')::regclass)) FROM generate_series(1, $2)`, table, n)
	if err != nil {
		return nil, fmt.Errorf("store: reserve %s ids: %w", table, err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("store: reserve %s ids: %w", table, err)
		}
		out = append(out, id)
	}
	return out, rows.Err()
}
