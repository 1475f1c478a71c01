package bot

import (
	"strconv"
	"strings"

	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/store"
)

// confirmPrefix starts the id of a group's "Still active" button, on MY
// GROUPS and on the reminders: grp:confirm:<group id>.
const confirmPrefix = "grp:confirm:"

// confirmChoice reads a tap on a "Still active" button.
func confirmChoice(in Input) (int64, bool) {
	if in.Kind != Choice {
		return 0, false
	}
	return parseConfirm(in.Choice)
}

// parseConfirm reads a "Still active" button's id: a positive group id
// after confirmPrefix, nothing else.
func parseConfirm(id string) (int64, bool) {
	digits, ok := strings.CutPrefix(id, confirmPrefix)
	if !ok || digits == "" || len(digits) > 18 || strings.TrimLeft(digits, "0123456789") != "" {
		return 0, false
	}
	n, err := strconv.ParseInt(digits, 10, 64)
	return n, err == nil && n > 0
}

// confirmGroup is the owner saying their group is still active
// (groups.Confirm); whatever flow was in progress carries on. Someone
// else's group, or one that ended, is answered so without a word on it.
func (t *turn) confirmGroup(id int64) error {
	grp, err := t.e.groups.Confirm(t.ctx, t.tx, t.person.ID, id)
	switch {
	case apperr.CodeOf(err) == apperr.NotFound:
		t.say("grp.confirm.unknown")
		return nil
	case err != nil:
		return err
	case grp.State != store.GroupLive:
		t.say("grp.confirm.ended", "Name", grp.Name)
		return nil
	}
	t.say("grp.confirmed", "Name", grp.Name)
	return nil
}

// driveGroups are the person's groups in the chat's drive that are still
// on the register (live, lapsed or marked invalid).
func (t *turn) driveGroups() ([]store.Group, error) {
	all, err := store.GroupsOf(t.ctx, t.tx, t.person.ID)
	if err != nil {
		return nil, err
	}
	var out []store.Group
	for _, g := range all {
		if g.DriveID == t.drive.d.ID && g.State != store.GroupEnded && g.State != store.GroupRemoved {
			out = append(out, g)
		}
	}
	return out, nil
}

// liveGroups counts the person's live groups in the chat's drive.
func (t *turn) liveGroups() (int, error) {
	gs, err := t.driveGroups()
	n := 0
	for _, g := range gs {
		if g.State == store.GroupLive {
			n++
		}
	}
	return n, err
}

// listBudget is how much of a list message's body (4,096 characters) the
// groups' lines may take, leaving room for the words around them.
const listBudget = 3500

// myGroups lists the volunteer's groups in the drive, "7 of 10", each with
// its state and its invite (theirs to see), as many as fit a message, and
// a "Still active" row for each live or lapsed one (the first ten).
func (t *turn) myGroups() error {
	if v, err := t.volunteering(); err != nil || v.AreaID == 0 {
		return err
	}
	gs, err := t.driveGroups()
	if err != nil {
		return err
	}
	asked := strconv.Itoa(t.drive.file.GroupsAsked())
	if len(gs) == 0 {
		t.say("grp.mine.none", "Asked", asked)
		return nil
	}
	live, lines, shown := 0, make([]string, 0, len(gs)), 0
	var rows []Option
	for i, g := range gs {
		link, err := t.e.groups.Link(t.ctx, t.tx, g)
		if err != nil {
			return err
		}
		if line := t.tr("grp.mine.line", "N", strconv.Itoa(i+1), "Name", g.Name, "State", t.tr("grp.state."+g.State), "Link", link); shown+len([]rune(line)) < listBudget {
			lines, shown = append(lines, line), shown+len([]rune(line))+1
		} else if len(lines) == 0 || lines[len(lines)-1] != "…" {
			lines = append(lines, "…")
		}
		if g.State == store.GroupLive {
			live++
		}
		if (g.State == store.GroupLive || g.State == store.GroupLapsed) && len(rows) < maxRows {
			rows = append(rows, Option{ID: confirmPrefix + strconv.FormatInt(g.ID, 10), Title: cut(g.Name, maxRowTitle),
				Description: t.tr("grp.still")})
		}
	}
	r := Reply{Text: t.tr("grp.mine", "Count", strconv.Itoa(live), "Asked", asked, "List", strings.Join(lines, "\n"))}
	if len(rows) > 0 {
		r.Choices, r.Menu = rows, t.tr("grp.still.menu")
	}
	t.ask(r)
	return nil
}
