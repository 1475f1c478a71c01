package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jodo-org/jodo/internal/apperr"
)

// Import states: staging (its rows going into import_rows), loading
// (staged rows moving into people, chunk by chunk; resumable), done
// (counted, once, as it finished), undone.
const (
	ImportStaging = "staging"
	ImportLoading = "loading"
	ImportDone    = "done"
	ImportUndone  = "undone"
)

// ChannelImport is the channel imported participations and the consents
// an import grants carry.
const ChannelImport = "import"

// Import is one run of jodo import people: its lawful source (the file,
// its SHA-256, what the organiser says it is, who ran it) and its counts.
type Import struct {
	ID            int64
	DriveID       int64
	FileName      string
	SHA256        string
	Source        string
	As            string // "member" or "volunteer": what a row with no role column becomes
	Actor         string
	Day           string // the drive-local day its counts go on
	State         string
	Rows          int64 // rows staged
	LoadedThrough int64 // the last staged line loaded
	New           int64
	Updated       int64
	Unchanged     int64
	Refused       int64
	CreatedAt     time.Time
	FinishedAt    time.Time
	UndoneAt      time.Time
}

const importColumns = `id, drive_id, file_name, file_sha256, source, as_stage, actor, day, state, rows_total, loaded_through,
	rows_new, rows_updated, rows_unchanged, rows_refused, created_at, finished_at, undone_at`

// CreateImport records a new import in state staging and returns its id.
func CreateImport(ctx context.Context, tx *Tx, imp Import) (int64, error) {
	if imp.DriveID == 0 || imp.SHA256 == "" || imp.Source == "" || imp.Actor == "" || imp.Day == "" {
		return 0, apperr.New(apperr.Invalid, "an import needs a drive, the file's SHA-256, a source, who runs it and a day")
	}
	var id int64
	err := tx.queryRow(ctx, `INSERT INTO imports (drive_id, file_name, file_sha256, source, as_stage, actor, day, state, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
		imp.DriveID, imp.FileName, imp.SHA256, imp.Source, imp.As, imp.Actor, imp.Day, ImportStaging, ms(tx.Now)).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("store: create import: %w", err)
	}
	return id, nil
}

// GetImport returns an import; a missing one is not_found.
func GetImport(ctx context.Context, tx *Tx, id int64) (Import, error) {
	rows, err := tx.query(ctx, `SELECT `+importColumns+` FROM imports WHERE id = $1`, id)
	if err != nil {
		return Import{}, fmt.Errorf("store: import %d: %w", id, err)
	}
	list, err := scanImports(rows)
	if err != nil {
		return Import{}, err
	}
	if len(list) == 0 {
		return Import{}, apperr.New(apperr.NotFound, "import %d not found", id)
	}
	return list[0], nil
}

// Imports lists every import, newest first.
func (db *DB) Imports(ctx context.Context) ([]Import, error) {
	var out []Import
	err := db.View(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, `SELECT `+importColumns+` FROM imports ORDER BY id DESC`)
		if err != nil {
			return fmt.Errorf("store: imports: %w", err)
		}
		out, err = scanImports(rows)
		return err
	})
	return out, err
}

func scanImports(rows *sql.Rows) ([]Import, error) {
	defer rows.Close()
	var out []Import
	for rows.Next() {
		var i Import
		var created int64
		var finished, undone sql.NullInt64
		if err := rows.Scan(&i.ID, &i.DriveID, &i.FileName, &i.SHA256, &i.Source, &i.As, &i.Actor, &i.Day, &i.State, &i.Rows,
			&i.LoadedThrough, &i.New, &i.Updated, &i.Unchanged, &i.Refused, &created, &finished, &undone); err != nil {
			return nil, fmt.Errorf("store: scan import: %w", err)
		}
		i.CreatedAt, i.FinishedAt, i.UndoneAt = fromMS(created), fromNullMS(finished), fromNullMS(undone)
		out = append(out, i)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: imports: %w", err)
	}
	return out, nil
}

// StartLoading moves an import from staging to loading once all its rows
// are staged, recording how many there are.
func StartLoading(ctx context.Context, tx *Tx, id, rows int64) error {
	res, err := tx.exec(ctx, `UPDATE imports SET state = $1, rows_total = $2 WHERE id = $3 AND state = $4`,
		ImportLoading, rows, id, ImportStaging)
	if err != nil {
		return fmt.Errorf("store: start loading import %d: %w", id, err)
	}
	if n, err := res.RowsAffected(); err != nil || n != 1 {
		return apperr.New(apperr.Conflict, "import %d is not being staged", id)
	}
	return nil
}

// DropStagingImport deletes an import that never finished staging (its
// file was refused, or staging was interrupted) with its staged rows:
// nothing of it is left.
func DropStagingImport(ctx context.Context, tx *Tx, id int64) error {
	var state string
	err := tx.queryRow(ctx, `SELECT state FROM imports WHERE id = $1`, id).Scan(&state)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil
	case err != nil:
		return fmt.Errorf("store: import %d: %w", id, err)
	case state != ImportStaging:
		return apperr.New(apperr.Conflict, "import %d is %s, not staging", id, state)
	}
	if err := purgeStaged(ctx, tx, id); err != nil {
		return err
	}
	if _, err := tx.exec(ctx, `DELETE FROM imports WHERE id = $1`, id); err != nil {
		return fmt.Errorf("store: drop import %d: %w", id, err)
	}
	return nil
}

func purgeStaged(ctx context.Context, tx *Tx, id int64) error {
	if _, err := tx.exec(ctx, `DELETE FROM import_rows WHERE import_id = $1`, id); err != nil {
		return fmt.Errorf("store: purge staged rows of import %d: %w", id, err)
	}
	return nil
}

// StagedRow is one checked line of an import's file, as staged.
type StagedRow struct {
	Line            int64
	Phone           string // E.164
	Name            string
	AreaID          int64 // an AC or booth of the drive
	Language        string
	Languages       string // a volunteer's, space-separated codes
	Volunteer       bool
	Adult           bool
	AdultEvidence   string
	ConsentEvidence string
	ConsentDate     string // YYYY-MM-DD, "": none given
	WhatsAppOptIn   bool
	SMSOptIn        bool
	LegacyNo        string
}

const stagedColumns = `line, phone, name, area_id, language, languages, volunteer, adult, adult_evidence,
	consent_evidence, consent_date, whatsapp_optin, sms_optin, legacy_no`

// StageRows adds rows to an import's staging table.
func StageRows(ctx context.Context, tx *Tx, importID int64, rows []StagedRow) error {
	const cols = 15
	return bulkInsert(ctx, tx, `INSERT INTO import_rows (import_id, `+stagedColumns+`) VALUES `, "", cols, len(rows),
		func(i int, args []any) []any {
			r := rows[i]
			return append(args, importID, r.Line, r.Phone, r.Name, r.AreaID, r.Language, r.Languages, boolInt(r.Volunteer),
				boolInt(r.Adult), r.AdultEvidence, r.ConsentEvidence, r.ConsentDate, boolInt(r.WhatsAppOptIn),
				boolInt(r.SMSOptIn), r.LegacyNo)
		})
}

// StagedRows returns up to limit staged rows of an import after line, in
// line order.
func StagedRows(ctx context.Context, tx *Tx, importID, after int64, limit int) ([]StagedRow, error) {
	rows, err := tx.query(ctx, `SELECT `+stagedColumns+` FROM import_rows WHERE import_id = $1 AND line > $2
		ORDER BY line LIMIT $3`, importID, after, limit)
	if err != nil {
		return nil, fmt.Errorf("store: staged rows of import %d: %w", importID, err)
	}
	defer rows.Close()
	var out []StagedRow
	for rows.Next() {
		var r StagedRow
		var vol, adult, wa, sms int
		if err := rows.Scan(&r.Line, &r.Phone, &r.Name, &r.AreaID, &r.Language, &r.Languages, &vol, &adult, &r.AdultEvidence,
			&r.ConsentEvidence, &r.ConsentDate, &wa, &sms, &r.LegacyNo); err != nil {
			return nil, fmt.Errorf("store: scan staged row: %w", err)
		}
		r.Volunteer, r.Adult, r.WhatsAppOptIn, r.SMSOptIn = vol == 1, adult == 1, wa == 1, sms == 1
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: staged rows of import %d: %w", importID, err)
	}
	return out, nil
}

// bulkBatch is how many rows one multi-row INSERT carries: far under
// both engines' limits on bound parameters (SQLite 32766, PostgreSQL
// 65535) at 15 columns, and one statement text per table, so prepared
// once.
const bulkBatch = 500

// bulkInsert inserts n rows through head + VALUES lists + tail, bulkBatch
// at a time; row(i, args) appends row i's cols values to args.
func bulkInsert(ctx context.Context, tx *Tx, head, tail string, cols, n int, row func(i int, args []any) []any) error {
	args := make([]any, 0, min(n, bulkBatch)*cols)
	for start := 0; start < n; start += bulkBatch {
		end := min(n, start+bulkBatch)
		args = args[:0]
		for i := start; i < end; i++ {
			args = row(i, args)
		}
		_, err := tx.exec(ctx, head+bulkValues(tx.engine, end-start, cols)+tail, args...)
		if uniqueViolation(err) {
			// PostgreSQL: someone's call created a listed phone (or took a
			// drawn number) since the rows were planned.
			return apperr.New(apperr.Conflict, "store: %s…: taken meanwhile: plan again", head[:min(len(head), 40)])
		}
		if err != nil {
			return fmt.Errorf("store: %s…: %w", head[:min(len(head), 40)], err)
		}
	}
	return nil
}

// bulkValues is valuesList for a bulk statement's rows. SQLite gets
// anonymous "?" placeholders: its driver asks every parameter's name, and
// finding a named one ($n) walks the statement's list of names, so binding
// n named parameters costs n²/2 steps — 28 million for 500 rows of 15,
// most of what staging and loading took. PostgreSQL numbers them.
func bulkValues(engine Engine, rows, cols int) string {
	if engine != SQLite {
		return valuesList(rows, cols, 1)
	}
	row := "(?" + strings.Repeat(",?", cols-1) + ")"
	return row + strings.Repeat(","+row, rows-1)
}

// inList is placeholders for an IN list of n values after first-1 others,
// anonymous on SQLite for the reason bulkValues gives (there the other
// parameters must come before the list in the statement's text too).
func inList(engine Engine, n, first int) string {
	if engine != SQLite {
		return placeholders(n, first)
	}
	return "?" + strings.Repeat(",?", n-1)
}

// OthersWrote begins an import's transaction. On SQLite it returns a
// number that changes whenever a connection other than tx's commits to
// the database (data_version), which tells an import a server shares the
// write lock with it. PostgreSQL locks rows, not the database, and gives
// 0.
func OthersWrote(ctx context.Context, tx *Tx) (int64, error) {
	if tx.engine != SQLite {
		return 0, nil
	}
	var v int64
	if err := tx.queryRow(ctx, `PRAGMA data_version`).Scan(&v); err != nil {
		return 0, fmt.Errorf("store: data version: %w", err)
	}
	return v, nil
}

// ForBulkLoad gives this process's SQLite writer a page cache of 256 MB
// (filled only as used) for an import: the indexes it fills are keyed by
// random values (phones, membership numbers, name keys), and with the
// default 2 MB every insert reads its leaf page back from disk. A server
// keeps the default. PostgreSQL: nothing to do.
func (db *DB) ForBulkLoad(ctx context.Context) error {
	if db.engine != SQLite {
		return nil
	}
	if _, err := db.write.ExecContext(ctx, `PRAGMA cache_size = -262144`); err != nil {
		return fmt.Errorf("store: bulk load cache: %w", err)
	}
	return nil
}
