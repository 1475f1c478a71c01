package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/jodo-org/jodo/internal/apperr"
)

// Drive is a stored drive: its definition and the file it came from.
type Drive struct {
	ID         int64
	Slug, Name string
	NameLocal  string // the name in Hindi; "" when the file gives none
	StartsOn   string // YYYY-MM-DD, inclusive, drive-local
	EndsOn     string
	Timezone   string
	RootArea   string
	RootAreaID int64
	Version    int
	File       []byte // canonical drive file, as `jodo drive export` prints it
	Channels   []DriveChannel
}

// DriveChannel is a number the drive owns.
type DriveChannel struct {
	Kind, Number, SecretEnv, SecretFile string
	Off                                 bool // sends nothing (a whatsapp channel switched off)
}

// SaveDrive creates or updates a drive, its channels and its targets in one
// transaction, with audit (if not nil; its area is the drive's root). A
// file older than the stored drive is refused unless force; a number
// already owned by another drive whose window overlaps is refused.
func (db *DB) SaveDrive(ctx context.Context, d Drive, expand ExpandTargets, force bool, audit *AuditEntry) (created bool, err error) {
	return db.saveDrive(ctx, d, expand, force, 0, audit)
}

// SaveDriveAt updates a stored drive as SaveDrive does, only while it is
// still at version seen: the check and the save are one transaction (the
// drive's row is claimed first), so of two edits made from the same
// version one wins and the other is a Conflict.
func (db *DB) SaveDriveAt(ctx context.Context, d Drive, expand ExpandTargets, seen int, audit *AuditEntry) error {
	if seen < 1 {
		return apperr.New(apperr.Invalid, "drive %s: the version the edit was made from is missing", d.Slug)
	}
	_, err := db.saveDrive(ctx, d, expand, false, seen, audit)
	return err
}

func (db *DB) saveDrive(ctx context.Context, d Drive, expand ExpandTargets, force bool, seen int, audit *AuditEntry) (created bool, err error) {
	err = db.Update(ctx, func(tx *Tx) error {
		if seen > 0 {
			if err := claimDriveAt(ctx, tx, d.Slug, seen); err != nil {
				return err
			}
		}
		if err := tx.queryRow(ctx, "SELECT id FROM areas WHERE code = $1 AND retired_at IS NULL", d.RootArea).Scan(&d.RootAreaID); err != nil {
			if errors.Is(err, sql.ErrNoRows) {
				return apperr.New(apperr.Invalid, "root_area %s is not a known area: import the areas first", d.RootArea)
			}
			return fmt.Errorf("store: save drive: %w", err)
		}
		stored, err := driveBySlug(ctx, tx, d.Slug)
		switch {
		case apperr.CodeOf(err) == apperr.NotFound:
			created = true
		case err != nil:
			return err
		case d.Version < stored.Version && !force:
			return apperr.New(apperr.Conflict, "drive %s is at version %d; this file is version %d (older). Export the current file, edit it and raise its version, or use --force", d.Slug, stored.Version, d.Version)
		case d.Version == stored.Version && !bytes.Equal(d.File, stored.File):
			// What was made from a version (a follow-up's texts, composed
			// once per version) must not change under it.
			return apperr.New(apperr.Conflict, "drive %s is at version %d and this file changes it: raise its version to %d and apply it again", d.Slug, stored.Version, stored.Version+1)
		default:
			d.ID = stored.ID
		}
		if err := checkChannelOwners(ctx, tx, d); err != nil {
			return err
		}
		if err := writeDrive(ctx, tx, &d, created); err != nil {
			return err
		}
		if err := writeChannels(ctx, tx, d); err != nil {
			return err
		}
		if err := writeTargets(ctx, tx, d, expand); err != nil {
			return err
		}
		if audit == nil {
			return nil
		}
		e := *audit
		e.AreaID = d.RootAreaID
		return Audit(ctx, tx, e)
	})
	return created, err
}

// ErrDriveMoved is in the chain of SaveDriveAt's Conflict when the drive is
// no longer at the version the edit was made from.
var ErrDriveMoved = errors.New("the drive's version moved")

// claimDriveAt takes the drive's row for this transaction if it is still
// at version seen (on PostgreSQL a concurrent edit waits here, then finds
// the version moved), else refuses with a Conflict.
func claimDriveAt(ctx context.Context, tx *Tx, slug string, seen int) error {
	res, err := tx.exec(ctx, "UPDATE drives SET version = version WHERE slug = $1 AND version = $2", slug, seen)
	if err != nil {
		return fmt.Errorf("store: claim drive %s: %w", slug, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("store: claim drive %s: %w", slug, err)
	} else if n == 0 {
		return fmt.Errorf("%w: %w", apperr.New(apperr.Conflict, "drive %s was changed by someone else since version %d was opened", slug, seen), ErrDriveMoved)
	}
	return nil
}

func writeDrive(ctx context.Context, tx *Tx, d *Drive, created bool) error {
	now := ms(tx.Now)
	if created {
		err := tx.queryRow(ctx, `INSERT INTO drives (slug, name, name_local, starts_on, ends_on, timezone, root_area_id, version, file, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10) RETURNING id`,
			d.Slug, d.Name, d.NameLocal, d.StartsOn, d.EndsOn, d.Timezone, d.RootAreaID, d.Version, string(d.File), now).Scan(&d.ID)
		if err != nil {
			return fmt.Errorf("store: insert drive: %w", err)
		}
		return nil
	}
	_, err := tx.exec(ctx, `UPDATE drives SET name = $1, name_local = $2, starts_on = $3, ends_on = $4, timezone = $5, root_area_id = $6,
		version = $7, file = $8, updated_at = $9 WHERE id = $10`,
		d.Name, d.NameLocal, d.StartsOn, d.EndsOn, d.Timezone, d.RootAreaID, d.Version, string(d.File), now, d.ID)
	if err != nil {
		return fmt.Errorf("store: update drive: %w", err)
	}
	return nil
}

// checkChannelOwners refuses a number that another drive with an
// overlapping window already owns: a call to it could not be attributed.
func checkChannelOwners(ctx context.Context, tx *Tx, d Drive) error {
	for _, ch := range d.Channels {
		var other string
		err := tx.queryRow(ctx, `SELECT dr.slug FROM drive_channels c JOIN drives dr ON dr.id = c.drive_id
			WHERE c.number = $1 AND dr.slug <> $2 AND dr.starts_on <= $3 AND dr.ends_on >= $4 ORDER BY dr.slug LIMIT 1`,
			ch.Number, d.Slug, d.EndsOn, d.StartsOn).Scan(&other)
		switch {
		case errors.Is(err, sql.ErrNoRows):
		case err != nil:
			return fmt.Errorf("store: check channel %s: %w", ch.Number, err)
		default:
			return apperr.New(apperr.Conflict, "number %s already belongs to drive %s, whose window overlaps %s..%s", ch.Number, other, d.StartsOn, d.EndsOn)
		}
	}
	return nil
}

func writeChannels(ctx context.Context, tx *Tx, d Drive) error {
	if _, err := tx.exec(ctx, "DELETE FROM drive_channels WHERE drive_id = $1", d.ID); err != nil {
		return fmt.Errorf("store: replace channels: %w", err)
	}
	for _, ch := range d.Channels {
		_, err := tx.exec(ctx, `INSERT INTO drive_channels (drive_id, kind, number, secret_env, secret_file, off) VALUES ($1, $2, $3, $4, $5, $6)`,
			d.ID, ch.Kind, ch.Number, ch.SecretEnv, ch.SecretFile, boolInt(ch.Off))
		if err != nil {
			return fmt.Errorf("store: insert channel: %w", err)
		}
	}
	return nil
}

const driveColumns = `d.id, d.slug, d.name, d.name_local, d.starts_on, d.ends_on, d.timezone, a.code, d.root_area_id, d.version, d.file`

func scanDrive(row interface{ Scan(...any) error }) (Drive, error) {
	var d Drive
	var file string
	err := row.Scan(&d.ID, &d.Slug, &d.Name, &d.NameLocal, &d.StartsOn, &d.EndsOn, &d.Timezone, &d.RootArea, &d.RootAreaID, &d.Version, &file)
	d.File = []byte(file)
	return d, err
}

func driveBySlug(ctx context.Context, tx *Tx, slug string) (Drive, error) {
	d, err := scanDrive(tx.queryRow(ctx, "SELECT "+driveColumns+" FROM drives d JOIN areas a ON a.id = d.root_area_id WHERE d.slug = $1", slug))
	if errors.Is(err, sql.ErrNoRows) {
		return Drive{}, apperr.New(apperr.NotFound, "no drive %q", slug)
	}
	if err != nil {
		return Drive{}, fmt.Errorf("store: drive %s: %w", slug, err)
	}
	return d, loadChannels(ctx, tx, &d)
}

func loadChannels(ctx context.Context, tx *Tx, d *Drive) error {
	rows, err := tx.query(ctx, "SELECT kind, number, secret_env, secret_file, off FROM drive_channels WHERE drive_id = $1 ORDER BY id", d.ID)
	if err != nil {
		return fmt.Errorf("store: channels of %s: %w", d.Slug, err)
	}
	defer rows.Close()
	for rows.Next() {
		var ch DriveChannel
		if err := rows.Scan(&ch.Kind, &ch.Number, &ch.SecretEnv, &ch.SecretFile, &ch.Off); err != nil {
			return fmt.Errorf("store: channels of %s: %w", d.Slug, err)
		}
		d.Channels = append(d.Channels, ch)
	}
	return rows.Err()
}

// DriveBySlug returns a drive with its channels.
func (db *DB) DriveBySlug(ctx context.Context, slug string) (Drive, error) {
	var d Drive
	err := db.View(ctx, func(tx *Tx) error {
		var err error
		d, err = driveBySlug(ctx, tx, slug)
		return err
	})
	return d, err
}

// Drives lists every drive, newest window first.
func (db *DB) Drives(ctx context.Context) ([]Drive, error) {
	var out []Drive
	err := db.View(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, "SELECT "+driveColumns+" FROM drives d JOIN areas a ON a.id = d.root_area_id ORDER BY d.starts_on DESC, d.slug")
		if err != nil {
			return fmt.Errorf("store: drives: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			d, err := scanDrive(rows)
			if err != nil {
				return fmt.Errorf("store: drives: %w", err)
			}
			out = append(out, d)
		}
		return rows.Err()
	})
	return out, err
}

// ChannelDrive is a drive that owns a number, with what routing a call to
// it needs.
type ChannelDrive struct {
	Number     string
	DriveID    int64
	RootAreaID int64
	StartsOn   string
	EndsOn     string
	Timezone   string
	Version    int // the drive's version, read with the rest (a follow-up's texts are cached by it)
}

// channelDrives is the statement, for a batch, that adds to out the drives
// owning any of numbers on channels of kind (LookupCalls, LookupWhatsApp).
func channelDrives(kind string, numbers []string, out *[]ChannelDrive) pgStmt {
	args := []any{kind}
	for _, n := range numbers {
		args = append(args, n)
	}
	return pgStmt{query: `SELECT c.number, d.id, d.root_area_id, d.starts_on, d.ends_on, d.timezone, d.version
		FROM drive_channels c JOIN drives d ON d.id = c.drive_id
		WHERE c.kind = $1 AND c.number IN (` + placeholders(len(numbers), 2) + `) ORDER BY d.starts_on`, args: args,
		scan: func(rows rowScanner) error {
			for rows.Next() {
				var c ChannelDrive
				if err := rows.Scan(&c.Number, &c.DriveID, &c.RootAreaID, &c.StartsOn, &c.EndsOn, &c.Timezone, &c.Version); err != nil {
					return fmt.Errorf("store: channel drives: %w", err)
				}
				*out = append(*out, c)
			}
			return rows.Err()
		}}
}

// AllChannels lists every drive's channels (for the webhook secrets they name).
func (db *DB) AllChannels(ctx context.Context) ([]DriveChannel, error) {
	rows, err := db.read.QueryContext(ctx, "SELECT kind, number, secret_env, secret_file, off FROM drive_channels ORDER BY id")
	if err != nil {
		return nil, fmt.Errorf("store: channels: %w", err)
	}
	defer rows.Close()
	var out []DriveChannel
	for rows.Next() {
		var ch DriveChannel
		if err := rows.Scan(&ch.Kind, &ch.Number, &ch.SecretEnv, &ch.SecretFile, &ch.Off); err != nil {
			return nil, fmt.Errorf("store: channels: %w", err)
		}
		out = append(out, ch)
	}
	return out, rows.Err()
}

// DriveByID returns a drive with its channels.
func (db *DB) DriveByID(ctx context.Context, id int64) (Drive, error) {
	var d Drive
	err := db.View(ctx, func(tx *Tx) error {
		var err error
		d, err = scanDrive(tx.queryRow(ctx, "SELECT "+driveColumns+" FROM drives d JOIN areas a ON a.id = d.root_area_id WHERE d.id = $1", id))
		if errors.Is(err, sql.ErrNoRows) {
			return apperr.New(apperr.NotFound, "no drive %d", id)
		}
		if err != nil {
			return fmt.Errorf("store: drive %d: %w", id, err)
		}
		return loadChannels(ctx, tx, &d)
	})
	return d, err
}

// DriveIn returns a drive by id, in tx.
func DriveIn(ctx context.Context, tx *Tx, id int64) (Drive, error) {
	d, err := scanDrive(tx.queryRow(ctx, "SELECT "+driveColumns+" FROM drives d JOIN areas a ON a.id = d.root_area_id WHERE d.id = $1", id))
	if errors.Is(err, sql.ErrNoRows) {
		return Drive{}, apperr.New(apperr.NotFound, "no drive %d", id)
	}
	if err != nil {
		return Drive{}, fmt.Errorf("store: drive %d: %w", id, err)
	}
	return d, nil
}
