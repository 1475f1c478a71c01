package directory

import (
	"context"

	"unicode/utf8"

	"github.com/jodo-org/jodo/internal/access"
)

// InScope checks that the person takes part somewhere in the actor's scope
// for need, as a person's page does: anyone else, existing or not, is
// not_found (forbidden when the actor holds need nowhere).
func (d *Directory) InScope(ctx context.Context, actor access.Actor, need access.Permission, personID int64) error {
	_, err := d.visible(ctx, actor, need, personID)
	return err
}

// ValidReason reports whether text (its spaces collapsed) passes the rules
// a reveal's reason does: 5 to 200 characters, no run of 6 digits or more.
// Other notes staff write into the log follow them too.
func ValidReason(text string) bool {
	n := utf8.RuneCountInString(text)
	return n >= minReason && n <= maxReason && !holdsNumber(text)
}
