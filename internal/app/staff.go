package app

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/user"
	"strings"
	"text/tabwriter"

	"github.com/jodo-org/jodo/internal/access"
	"github.com/jodo-org/jodo/internal/config"
	"github.com/jodo-org/jodo/internal/phone"
	"github.com/jodo-org/jodo/internal/staff"
	"github.com/jodo-org/jodo/internal/store"
)

// staffCommand runs jodo staff add|list|remove|link as the command line's
// actor (cli:<os user>): whoever runs it holds the database.
func staffCommand(ctx context.Context, db *store.DB, cfg *config.Config, io IO) error {
	actor, err := cliActor(ctx, db)
	if err != nil {
		return err
	}
	key, err := secretKeyOf(ctx, db, cfg)
	if err != nil {
		return err
	}
	s := staff.New(key)
	masked := maskTyped(cfg.StaffPhone)
	switch cfg.Action {
	case "add":
		var added staff.Added
		err := db.Update(ctx, func(tx *store.Tx) error {
			added, err = s.Add(ctx, tx, actor, staff.Grant{Phone: cfg.StaffPhone, Name: cfg.StaffName, Role: cfg.StaffRole,
				Areas: strings.Split(cfg.StaffAreas, ",")})
			return err
		})
		if err != nil {
			return err
		}
		what, isNew := "gave", ""
		if added.Replaced {
			what = "replaced the areas of"
		}
		if added.NewPerson {
			isNew = ", new"
		}
		fmt.Fprintf(io.Stdout, "%s %s the role %s over %s (person %d%s)\n", what, masked, cfg.StaffRole, cfg.StaffAreas, added.PersonID, isNew)
		return nil
	case "remove":
		var removed []string
		err := db.Update(ctx, func(tx *store.Tx) error {
			removed, err = s.Remove(ctx, tx, actor, cfg.StaffPhone, cfg.StaffRole)
			return err
		})
		if err != nil {
			return err
		}
		fmt.Fprintf(io.Stdout, "removed %s from %s; their sessions have ended\n", strings.Join(removed, ", "), masked)
		return nil
	case "link":
		var token string
		err := db.Update(ctx, func(tx *store.Tx) error {
			token, err = s.Link(ctx, tx, actor, cfg.StaffPhone)
			return err
		})
		if err != nil {
			return err
		}
		fmt.Fprintf(io.Stdout, "a sign-in link for %s (works once, for 15 minutes):\n%s\n", masked, linkURL(cfg, token))
		return nil
	}
	return listStaff(ctx, db, io)
}

func listStaff(ctx context.Context, db *store.DB, io IO) error {
	members, err := staff.List(ctx, db)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(io.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "PERSON\tNAME\tPHONE\tROLE\tAREAS\tSINCE\tBY")
	for _, m := range members {
		for _, r := range m.Roles {
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", m.PersonID, m.Name, m.MaskedPhone, r.Role, strings.Join(r.Areas, ","),
				r.GrantedAt.Format("2006-01-02 15:04"), r.GrantedBy)
		}
	}
	return tw.Flush()
}

// linkURL is a sign-in link's address on JODO_BASE_URL, else the default
// listen address.
func linkURL(cfg *config.Config, token string) string {
	base := cfg.BaseURL
	if base == "" {
		base = "http://127.0.0.1:8080"
	}
	return base + "/signin/link/" + token
}

// cliActor is whoever runs a command, by their operating-system user,
// with the whole installation in scope.
func cliActor(ctx context.Context, db *store.DB) (access.Actor, error) {
	roots, err := db.RootAreas(ctx)
	if err != nil {
		return access.Actor{}, err
	}
	name := os.Getenv("USER")
	if u, err := user.Current(); err == nil {
		name = u.Username
	}
	return access.CLI(name, roots), nil
}

// secretKeyOf is JODO_SECRET_KEY, or the key the demo keeps in its
// database: staff add checks numbers against suppressions keyed with it.
func secretKeyOf(ctx context.Context, db *store.DB, cfg *config.Config) ([]byte, error) {
	if cfg.SecretKey != "" {
		return []byte(cfg.SecretKey), nil
	}
	kept, ok, err := db.StoredSetting(ctx, demoSecretKey)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, errors.New("set JODO_SECRET_KEY (or JODO_SECRET_KEY_FILE) to the server's key: erased and refused numbers are kept under it")
	}
	return []byte(kept), nil
}

// maskTyped is a typed number as the command's messages show it: masked,
// in E.164 when it reads as a number (the use-case refuses it otherwise).
func maskTyped(typed string) string {
	if p, err := phone.Normalize(typed); err == nil {
		return phone.Mask(p)
	}
	return phone.Mask(typed)
}
