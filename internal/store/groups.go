package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jodo-org/jodo/internal/apperr"
)

// A group's states; only a live group is counted.
const (
	GroupLive    = "live"
	GroupLapsed  = "lapsed"  // not re-confirmed in time; its owner may confirm it again
	GroupInvalid = "invalid" // marked so by a coordinator, with a reason
	GroupRemoved = "removed" // by its owner: the invite is forgotten
	GroupEnded   = "ended"   // its owner stopped volunteering or was erased: the invite is forgotten
)

// Group is a group a volunteer runs. CodeHash and CodeSealed are the
// invite's keyed hash and sealed form (package groups makes both); a list
// for staff never carries the sealed form out of the domain.
type Group struct {
	ID              int64
	DriveID         int64
	PersonID        int64
	ParticipationID int64
	AreaID          int64
	Kind            string
	CodeHash        string // "" once ended
	CodeSealed      string // "" once ended
	Name            string
	Language        string
	Size            string
	Channel         string
	State           string
	RegisteredAt    time.Time
	ConfirmedAt     time.Time
	Reminded        int // the reminders sent since the last confirmation (0, 1: seven days before, 2: one day before)
	StateAt         time.Time
	StateBy         string
	StateReason     string
}

const groupsMetric = "groups"

// groupDelta is the groups counter's move at g's area.
func groupDelta(g Group, day string, v int64) CounterDelta {
	return CounterDelta{DriveID: g.DriveID, AreaID: g.AreaID, Metric: groupsMetric, Day: day, Channel: g.Channel, Value: v}
}

// RegisterGroup stores g as live, confirmed now, and counts +1 groups at
// its area on day. A group whose hash is registered already (by anyone,
// at any time it has not ended) is a conflict: the unique index decides,
// so two registrations at once end with one group.
func RegisterGroup(ctx context.Context, tx *Tx, g Group, day string) (Group, error) {
	if g.DriveID == 0 || g.PersonID == 0 || g.ParticipationID == 0 || g.AreaID == 0 || g.Kind == "" || g.CodeHash == "" || g.Channel == "" || day == "" {
		return Group{}, apperr.New(apperr.Invalid, "a group needs a drive, an owner, an area, a kind, an invite and a channel")
	}
	now := ms(tx.Now)
	err := tx.queryRow(ctx, `INSERT INTO chat_groups (drive_id, person_id, participation_id, area_id, kind, code_hash, code_sealed,
			name, language, size, channel, state, registered_at, confirmed_at, state_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13, $13)
		ON CONFLICT DO NOTHING RETURNING id`,
		g.DriveID, g.PersonID, g.ParticipationID, g.AreaID, g.Kind, g.CodeHash, g.CodeSealed, g.Name, g.Language, g.Size, g.Channel,
		GroupLive, now).Scan(&g.ID)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return Group{}, apperr.New(apperr.Conflict, "this group is registered already")
	case err != nil:
		return Group{}, fmt.Errorf("store: register a group of person %d: %w", g.PersonID, err)
	}
	g.State, g.RegisteredAt, g.ConfirmedAt, g.StateAt = GroupLive, tx.Now, tx.Now, tx.Now
	return g, AddCounters(ctx, tx, []CounterDelta{groupDelta(g, day, 1)})
}

// SetGroupSealed replaces a group's sealed invite (sealed with its id as
// context, which RegisterGroup could not know yet).
func SetGroupSealed(ctx context.Context, tx *Tx, id int64, sealed string) error {
	if _, err := tx.exec(ctx, `UPDATE chat_groups SET code_sealed = $1 WHERE id = $2`, sealed, id); err != nil {
		return fmt.Errorf("store: seal group %d: %w", id, err)
	}
	return nil
}

// EndGroupState moves a group from one of from to to (a guarded
// transition), with who did it and why, and counts -1 groups on day when
// it was live. Ending (GroupEnded) and its owner's removal (GroupRemoved)
// also forget the invite, so that anyone may register it again; a group
// marked invalid keeps its hash, so a dead or fake link stays refused. changed is
// false when the group was in none of from.
func EndGroupState(ctx context.Context, tx *Tx, id int64, from []string, to, by, reason, day string) (g Group, changed bool, err error) {
	if to == GroupLive || len(from) == 0 {
		return Group{}, false, apperr.New(apperr.Invalid, "a group is made live only by registering or confirming it")
	}
	g, err = lockGroup(ctx, tx, id)
	if err != nil || !slices.Contains(from, g.State) {
		return g, false, err
	}
	forget := ""
	if to == GroupEnded || to == GroupRemoved {
		forget = ", code_hash = NULL, code_sealed = ''"
	}
	_, err = tx.exec(ctx, `UPDATE chat_groups SET state = $1, state_at = $2, state_by = $3, state_reason = $4`+forget+` WHERE id = $5`,
		to, ms(tx.Now), by, reason, id)
	if err != nil {
		return Group{}, false, fmt.Errorf("store: group %d %s: %w", id, to, err)
	}
	wasLive := g.State == GroupLive
	g.State, g.StateAt, g.StateBy, g.StateReason = to, tx.Now, by, reason
	if !wasLive {
		return g, true, nil
	}
	return g, true, AddCounters(ctx, tx, []CounterDelta{groupDelta(g, day, -1)})
}

// ConfirmGroup records its owner's re-confirmation: a live group's clock
// starts again; a lapsed one is live again, +1 groups on day. changed is
// false for a group in another state (invalid, removed, ended).
func ConfirmGroup(ctx context.Context, tx *Tx, id int64, day string) (g Group, changed bool, err error) {
	g, err = lockGroup(ctx, tx, id)
	if err != nil || (g.State != GroupLive && g.State != GroupLapsed) {
		return g, false, err
	}
	_, err = tx.exec(ctx, `UPDATE chat_groups SET state = $1, confirmed_at = $2, reminded = 0, state_at = CASE WHEN state = $1 THEN state_at ELSE $2 END
		WHERE id = $3`, GroupLive, ms(tx.Now), id)
	if err != nil {
		return Group{}, false, fmt.Errorf("store: confirm group %d: %w", id, err)
	}
	wasLapsed := g.State == GroupLapsed
	g.State, g.ConfirmedAt, g.Reminded = GroupLive, tx.Now, 0
	if !wasLapsed {
		return g, true, nil
	}
	g.StateAt = tx.Now
	return g, true, AddCounters(ctx, tx, []CounterDelta{groupDelta(g, day, 1)})
}

// MarkReminded records that reminder n (1 or 2) of a group's cycle that
// began at confirmed went out; false when it had (a sweep run twice sends
// once), or when the owner confirmed since (a new cycle: no reminder now).
func MarkReminded(ctx context.Context, tx *Tx, id int64, n int, confirmed time.Time) (bool, error) {
	res, err := tx.exec(ctx, `UPDATE chat_groups SET reminded = $1 WHERE id = $2 AND state = $3 AND reminded < $1 AND confirmed_at = $4`,
		n, id, GroupLive, ms(confirmed))
	if err != nil {
		return false, fmt.Errorf("store: group %d reminded: %w", id, err)
	}
	k, err := res.RowsAffected()
	return k == 1, err
}

// LockGroup is lockGroup for the domain: a sweep re-reads a group it is
// about to lapse, so that an owner's confirmation committed meanwhile wins.
func LockGroup(ctx context.Context, tx *Tx, id int64) (Group, error) { return lockGroup(ctx, tx, id) }

// lockGroup reads a group for an update of it: the no-op update holds its
// row until the transaction ends, so two changes at once see each other.
func lockGroup(ctx context.Context, tx *Tx, id int64) (Group, error) {
	if _, err := tx.exec(ctx, `UPDATE chat_groups SET state = state WHERE id = $1`, id); err != nil {
		return Group{}, fmt.Errorf("store: lock group %d: %w", id, err)
	}
	return GetGroup(ctx, tx, id)
}

const groupColumns = `id, drive_id, person_id, participation_id, area_id, kind, COALESCE(code_hash, ''), code_sealed, name, language,
	size, channel, state, registered_at, confirmed_at, reminded, state_at, state_by, state_reason`

// GetGroup returns a group by id.
func GetGroup(ctx context.Context, tx *Tx, id int64) (Group, error) {
	gs, err := selectGroups(ctx, tx, "id = $1", "id", id)
	if err != nil {
		return Group{}, err
	}
	if len(gs) == 0 {
		return Group{}, apperr.New(apperr.NotFound, "group %d not found", id)
	}
	return gs[0], nil
}

// GroupsOf returns a person's groups in every drive, ended ones too, oldest first.
func GroupsOf(ctx context.Context, tx *Tx, personID int64) ([]Group, error) {
	return selectGroups(ctx, tx, "person_id = $1", "id", personID)
}

// GroupsDue returns up to limit live groups confirmed before cutoff,
// oldest first: what a sweep lapses or reminds.
func GroupsDue(ctx context.Context, tx *Tx, cutoff time.Time, limit int) ([]Group, error) {
	return selectGroups(ctx, tx, "state = $1 AND confirmed_at < $2", "confirmed_at, id LIMIT $3", GroupLive, ms(cutoff), limit)
}

// selectGroups reads the groups where selects, ordered by order (which may
// end in a LIMIT).
func selectGroups(ctx context.Context, tx *Tx, where, order string, args ...any) ([]Group, error) {
	rows, err := tx.query(ctx, "SELECT "+groupColumns+" FROM chat_groups WHERE "+where+" ORDER BY "+order, args...)
	if err != nil {
		return nil, fmt.Errorf("store: groups: %w", err)
	}
	defer rows.Close()
	var out []Group
	for rows.Next() {
		var g Group
		var registered, confirmed, stateAt int64
		if err := rows.Scan(&g.ID, &g.DriveID, &g.PersonID, &g.ParticipationID, &g.AreaID, &g.Kind, &g.CodeHash, &g.CodeSealed,
			&g.Name, &g.Language, &g.Size, &g.Channel, &g.State, &registered, &confirmed, &g.Reminded, &stateAt, &g.StateBy, &g.StateReason); err != nil {
			return nil, fmt.Errorf("store: groups: %w", err)
		}
		g.RegisteredAt, g.ConfirmedAt, g.StateAt = fromMS(registered), fromMS(confirmed), fromMS(stateAt)
		out = append(out, g)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: groups: %w", err)
	}
	return out, nil
}
