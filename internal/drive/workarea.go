package drive

import (
	"context"
	"strings"

	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/store"
)

// Why an area cannot be where someone works or a group serves.
const (
	AreaUnknown  = "unknown"         // no such live area
	AreaNotAC    = "not_ac_or_booth" // a PC, a district, a state
	AreaNotDrive = "not_in_drive"    // outside the drive's root
)

// WorkArea is the AC or booth with code, in tx, when it lies in drive d (a
// district drive's: in one of its ACs); otherwise reason says why.
func WorkArea(ctx context.Context, tx *store.Tx, d store.Drive, code string) (area store.Area, reason string, err error) {
	area, err = store.AreaByCode(ctx, tx, strings.TrimSpace(code))
	switch {
	case apperr.CodeOf(err) == apperr.NotFound || (err == nil && area.Retired):
		return area, AreaUnknown, nil
	case err != nil:
		return area, "", err
	case area.Kind != "ac" && area.Kind != "booth":
		return area, AreaNotAC, nil
	}
	root, err := store.AreaByID(ctx, tx, d.RootAreaID)
	if err != nil {
		return area, "", err
	}
	if strings.HasPrefix(area.Path, root.Path) {
		return area, "", nil
	}
	if root.Kind == "district" {
		ac := area
		if area.Kind == "booth" {
			if ac, err = store.AreaByCode(ctx, tx, area.Parent); err != nil {
				return area, "", err
			}
		}
		if ac.District == root.Code {
			return area, "", nil
		}
	}
	return area, AreaNotDrive, nil
}
