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
	out := make(map[ChatKey]ChatContext, len(keys))
	if len(keys) == 0 {
		return out, nil
	}
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
	rows, err := tx.query(ctx, `SELECT p.id, p.name, p.language, p.area_id, p.membership_no, p.created_at, p.updated_at, p.erased_at,
			c.granted_at, c.withdrawn_at, pa.drive_id, pa.id, pa.registered_at,
			(SELECT MAX(s.stopped_at) FROM conversations s WHERE s.person_id = p.id)
		FROM people p
		LEFT JOIN consents c ON c.person_id = p.id AND c.purpose = 'whatsapp'
		LEFT JOIN participations pa ON pa.person_id = p.id AND pa.drive_id IN (`+placeholders(nd, 1)+`)
		WHERE p.id IN (`+placeholders(len(people), nd+1)+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: chat context of %d people: %w", len(people), err)
	}
	defer rows.Close()
	// A row per person and participation in the drives asked for (one
	// with none when they have none of them).
	alone, in := map[int64]ChatContext{}, map[ChatKey]ChatContext{}
	for rows.Next() {
		var c ChatContext
		p := &c.Person
		var area, erased, consent, withdrawn, drive, part, registered, stopped sql.NullInt64
		var no sql.NullString
		var created, updated int64
		if err := rows.Scan(&p.ID, &p.Name, &p.Language, &area, &no, &created, &updated, &erased,
			&consent, &withdrawn, &drive, &part, &registered, &stopped); err != nil {
			return nil, fmt.Errorf("store: chat context: %w", err)
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
		alone[p.ID] = c
		if part.Valid {
			c.ParticipationID, c.Registered = part.Int64, registered.Valid
			in[ChatKey{PersonID: p.ID, DriveID: drive.Int64}] = c
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: chat context: %w", err)
	}
	for _, k := range keys {
		if c, ok := in[k]; ok {
			out[k] = c
		} else if c, ok := alone[k.PersonID]; ok {
			out[k] = c // not in that drive (or none asked)
		}
	}
	return out, nil
}
