package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/jodo-org/jodo/internal/apperr"
)

// ChatContext is what the bot reads of a person at every step, in one
// query: the person, their WhatsApp consent, and their participation in
// the conversation's drive.
type ChatContext struct {
	Person          Person
	WhatsApp        ConsentStatus
	StoppedAt       time.Time // when they wrote STOP in one of their chats, not START since; zero: not stopped
	ParticipationID int64     // 0: not in the drive
	Registered      bool
}

// GetChatContext reads a person's ChatContext for drive (0: none) in tx.
func GetChatContext(ctx context.Context, tx *Tx, personID, driveID int64) (ChatContext, error) {
	got, err := GetChatContexts(ctx, tx, []ChatKey{{PersonID: personID, DriveID: driveID}})
	if err != nil {
		return ChatContext{}, err
	}
	c, ok := got[ChatKey{PersonID: personID, DriveID: driveID}]
	if !ok {
		return ChatContext{}, apperr.New(apperr.NotFound, "person %d not found", personID)
	}
	return c, nil
}

// ChatKey names a person in a drive (0: none) for GetChatContexts.
type ChatKey struct{ PersonID, DriveID int64 }

// GetChatContexts reads many ChatContexts in tx, in one query; a person
// who does not exist is missing from the result.
func GetChatContexts(ctx context.Context, tx *Tx, keys []ChatKey) (map[ChatKey]ChatContext, error) {
	if len(keys) == 0 {
		return map[ChatKey]ChatContext{}, nil
	}
	var got chatRows
	if err := tx.batch(ctx, chatContextsStmt(keys, &got)); err != nil {
		return nil, fmt.Errorf("store: chat context of %d people: %w", len(keys), err)
	}
	return got.of(keys), nil
}

// chatRows are the rows of chatContextsStmt: each person alone, and in
// each drive asked for that they are in.
type chatRows struct {
	alone map[int64]ChatContext
	in    map[ChatKey]ChatContext
}

// of is the ChatContext of each key that names a person who exists.
func (g *chatRows) of(keys []ChatKey) map[ChatKey]ChatContext {
	out := make(map[ChatKey]ChatContext, len(keys))
	for _, k := range keys {
		if c, ok := g.in[k]; ok {
			out[k] = c
		} else if c, ok := g.alone[k.PersonID]; ok {
			out[k] = c // not in that drive (or none asked)
		}
	}
	return out
}

// chatContextsStmt is GetChatContexts' query for keys (not empty), its rows
// read into got.
func chatContextsStmt(keys []ChatKey, got *chatRows) pgStmt {
	people, drives := map[int64]bool{}, map[int64]bool{}
	for _, k := range keys {
		people[k.PersonID], drives[k.DriveID] = true, true
	}
	var args []any
	for d := range drives {
		args = append(args, d)
	}
	nd := len(args)
	for p := range people {
		args = append(args, p)
	}
	return pgStmt{query: `SELECT p.id, p.name, p.language, p.area_id, p.membership_no, p.created_at, p.updated_at, p.erased_at,
			c.granted_at, c.withdrawn_at, pa.drive_id, pa.id, pa.registered_at,
			(SELECT MAX(s.stopped_at) FROM conversations s WHERE s.person_id = p.id)
		FROM people p
		LEFT JOIN consents c ON c.person_id = p.id AND c.purpose = 'whatsapp'
		LEFT JOIN participations pa ON pa.person_id = p.id AND pa.drive_id IN (` + placeholders(nd, 1) + `)
		WHERE p.id IN (` + placeholders(len(people), nd+1) + `)`,
		args: args,
		scan: func(rows rowScanner) error {
			// A row per person and participation in the drives asked for
			// (one with none when they have none of them).
			got.alone, got.in = map[int64]ChatContext{}, map[ChatKey]ChatContext{}
			for rows.Next() {
				var c ChatContext
				p := &c.Person
				var area, erased, consent, withdrawn, drive, part, registered, stopped sql.NullInt64
				var no sql.NullString
				var created, updated int64
				if err := rows.Scan(&p.ID, &p.Name, &p.Language, &area, &no, &created, &updated, &erased,
					&consent, &withdrawn, &drive, &part, &registered, &stopped); err != nil {
					return err
				}
				p.AreaID, p.MembershipNo = area.Int64, no.String
				p.CreatedAt, p.UpdatedAt, p.ErasedAt = fromMS(created), fromMS(updated), fromNullMS(erased)
				c.StoppedAt = fromNullMS(stopped)
				c.WhatsApp = ConsentNever
				switch {
				case withdrawn.Valid:
					c.WhatsApp = ConsentWithdrawn
				case consent.Valid:
					c.WhatsApp = ConsentGranted
				}
				got.alone[p.ID] = c
				if part.Valid {
					c.ParticipationID, c.Registered = part.Int64, registered.Valid
					got.in[ChatKey{PersonID: p.ID, DriveID: drive.Int64}] = c
				}
			}
			return rows.Err()
		}}
}
