package console

import (
	"context"

	"github.com/jodo-org/jodo/internal/access"
	"github.com/jodo-org/jodo/internal/dashboard"
	"github.com/jodo-org/jodo/internal/drive"
	"github.com/jodo-org/jodo/internal/locale"
	"github.com/jodo-org/jodo/internal/store"
)

// picked is what a page of one drive at one area offers in its pickers:
// the drive shown, every drive of the scope, and the scope's places in
// the drive shown (dashboard.Places).
type picked struct {
	drive  store.Drive
	drives []option
	name   string // the drive's name in the page's language
	places []store.Area
}

// pick reads the pickers of a page where a uses need: the drive with
// slug, else the first holding area, else the first. ok is false when no
// drive meets the scope.
func (c *Console) pick(ctx context.Context, a asker, need access.Permission, slug, area string) (pk picked, ok bool, err error) {
	scope := a.actor.Scope(need)
	drives, err := drive.ForScope(ctx, c.db, scope)
	if err != nil || len(drives) == 0 {
		return picked{}, false, err
	}
	d, err := c.chooseDrive(ctx, drives, slug, area)
	if err != nil {
		return picked{}, false, err
	}
	pk = picked{drive: d, name: locale.Name(a.lang, d.Name, d.NameLocal)}
	for _, x := range drives {
		pk.drives = append(pk.drives, option{Value: x.Slug, Label: locale.Name(a.lang, x.Name, x.NameLocal), Selected: x.Slug == d.Slug})
	}
	pk.places, err = dashboard.Places(ctx, c.db, scope, a.actor.Roots(need), d)
	return pk, err == nil, err
}
