// Package staff owns the organisers' use-cases: giving a person a role
// over a scope, taking it away (their sessions end at once), listing who
// holds what, and one-time sign-in links. Every use-case runs in the
// caller's transaction and writes its audit entry; what a role allows is
// package access's table.
package staff

import (
	"context"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/jodo-org/jodo/internal/access"
	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/names"
	"github.com/jodo-org/jodo/internal/phone"
	"github.com/jodo-org/jodo/internal/signin"
	"github.com/jodo-org/jodo/internal/store"
)

// Staff runs the use-cases for one installation: its secret key keys the
// hashes under which erased and refused numbers are kept.
type Staff struct {
	secretKey []byte
}

// New returns Staff keyed with JODO_SECRET_KEY.
func New(secretKey []byte) *Staff { return &Staff{secretKey: secretKey} }

// Grant is what Add was asked to give.
type Grant struct {
	Phone string // any common form; normalised
	Name  string // for a person new to Jodo
	Role  string
	Areas []string // area codes
}

// Added is what Add did.
type Added struct {
	PersonID  int64
	NewPerson bool
	Replaced  bool // the person held the role already: its areas were replaced
}

// Add gives the person with g.Phone a role over g.Areas, creating them
// (with a phone contact point) if new. An erased or refused number is
// refused: it may come back only by the person's own act.
func (s *Staff) Add(ctx context.Context, tx *store.Tx, by access.Actor, g Grant) (Added, error) {
	role, ok := access.ParseRole(g.Role)
	if !ok {
		return Added{}, apperr.New(apperr.Invalid, "role must be one of %s, not %q", access.RoleNames(), g.Role)
	}
	areas := cleanCodes(g.Areas)
	if len(areas) == 0 {
		return Added{}, apperr.New(apperr.Invalid, "a role needs --area CODE[,CODE…]")
	}
	if _, err := store.AreasInScope(ctx, tx, areas); err != nil {
		return Added{}, err
	}
	p, err := phone.Normalize(g.Phone)
	if err != nil {
		return Added{}, apperr.New(apperr.Invalid, "%q is not a phone number", phone.Mask(g.Phone))
	}
	if reason, err := store.SuppressionOf(ctx, tx, store.SuppressionHash(s.secretKey, p)); err != nil {
		return Added{}, err
	} else if reason != "" {
		return Added{}, apperr.New(apperr.Conflict, "%s was erased or refused (%s); only its owner can come back, by joining again", phone.Mask(p), reason)
	}
	var out Added
	out.PersonID, err = store.FindByContact(ctx, tx, store.ContactPhone, p)
	switch {
	case apperr.CodeOf(err) == apperr.NotFound:
		name := strings.TrimSpace(g.Name)
		if n := utf8.RuneCountInString(name); n < 2 || n > names.MaxLen || !strings.ContainsFunc(name, unicode.IsLetter) || names.HasHidden(name) {
			return Added{}, apperr.New(apperr.Invalid, "a person new to Jodo needs --name (up to %d letters)", names.MaxLen)
		}
		if out.PersonID, err = store.CreatePerson(ctx, tx, store.Person{Name: name}); err != nil {
			return Added{}, err
		}
		if err := store.SetNameKeys(ctx, tx, out.PersonID, names.SearchKeys(name)); err != nil {
			return Added{}, err
		}
		if err := store.AddContact(ctx, tx, out.PersonID, store.ContactPhone, p); err != nil {
			return Added{}, err
		}
		out.NewPerson = true
	case err != nil:
		return Added{}, err
	}
	if out.Replaced, err = store.GrantRole(ctx, tx, out.PersonID, string(role), areas, by.Label); err != nil {
		return Added{}, err
	}
	return out, store.Audit(ctx, tx, store.AuditEntry{Actor: by.Label, Action: "role_grant", PersonID: out.PersonID,
		Scope: by.ScopeLabel(), Detail: string(role) + " over " + strings.Join(areas, ",")})
}

// Remove takes a role (all roles when role is "") from the person with
// the phone and ends their sessions at once.
func (s *Staff) Remove(ctx context.Context, tx *store.Tx, by access.Actor, phoneText, role string) ([]string, error) {
	if role != "" {
		if _, ok := access.ParseRole(role); !ok {
			return nil, apperr.New(apperr.Invalid, "role must be one of %s, not %q", access.RoleNames(), role)
		}
	}
	person, err := personByPhone(ctx, tx, phoneText)
	if err != nil {
		return nil, err
	}
	removed, err := store.RevokeRoles(ctx, tx, person, role, by.Label)
	if err != nil {
		return nil, err
	}
	if len(removed) == 0 {
		return nil, apperr.New(apperr.NotFound, "%s holds no such role", phone.Mask(phoneText))
	}
	if _, err := store.RevokeSessions(ctx, tx, person); err != nil {
		return nil, err
	}
	if err := store.DeleteSigninLinks(ctx, tx, person); err != nil {
		return nil, err
	}
	return removed, store.Audit(ctx, tx, store.AuditEntry{Actor: by.Label, Action: "role_remove", PersonID: person,
		Scope: by.ScopeLabel(), Detail: strings.Join(removed, ",")})
}

// Link makes a one-time sign-in link's token for the staff member with the
// phone (15 minutes, used once). Only people holding a role get one: a
// member signs in with a code.
func (s *Staff) Link(ctx context.Context, tx *store.Tx, by access.Actor, phoneText string) (string, error) {
	person, err := personByPhone(ctx, tx, phoneText)
	if err != nil {
		return "", err
	}
	roles, err := store.RolesOf(ctx, tx, person)
	if err != nil {
		return "", err
	}
	if len(roles) == 0 {
		return "", apperr.New(apperr.Invalid, "%s holds no role; give one with jodo staff add first", phone.Mask(phoneText))
	}
	token, err := signin.NewLink(ctx, tx, person, by.Label)
	if err != nil {
		return "", err
	}
	return token, store.Audit(ctx, tx, store.AuditEntry{Actor: by.Label, Action: "signin_link", PersonID: person, Scope: by.ScopeLabel()})
}

func personByPhone(ctx context.Context, tx *store.Tx, text string) (int64, error) {
	p, err := phone.Normalize(text)
	if err != nil {
		return 0, apperr.New(apperr.Invalid, "%q is not a phone number", phone.Mask(text))
	}
	id, err := store.FindByContact(ctx, tx, store.ContactPhone, p)
	if apperr.CodeOf(err) == apperr.NotFound {
		return 0, apperr.New(apperr.NotFound, "nobody has the number %s", phone.Mask(p))
	}
	return id, err
}

func cleanCodes(codes []string) []string {
	var out []string
	for _, c := range codes {
		if c = strings.TrimSpace(c); c != "" && !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	return out
}

// Member is a person holding roles, as the staff list shows them.
type Member struct {
	PersonID    int64
	Name        string
	MaskedPhone string
	Roles       []store.StaffRole
}

// List lists everyone holding a role, their numbers masked.
func List(ctx context.Context, db *store.DB) ([]Member, error) {
	roles, err := db.AllLiveRoles(ctx)
	if err != nil {
		return nil, err
	}
	var out []Member
	err = db.View(ctx, func(tx *store.Tx) error {
		for _, r := range roles {
			if n := len(out); n > 0 && out[n-1].PersonID == r.PersonID {
				out[n-1].Roles = append(out[n-1].Roles, r)
				continue
			}
			p, err := store.GetPerson(ctx, tx, r.PersonID)
			if err != nil {
				return err
			}
			m := Member{PersonID: r.PersonID, Name: p.Name, Roles: []store.StaffRole{r}}
			contacts, err := store.Contacts(ctx, tx, r.PersonID)
			if err != nil {
				return err
			}
			for _, c := range contacts {
				if c.Kind == store.ContactPhone {
					m.MaskedPhone = phone.Mask(c.Value)
				}
			}
			out = append(out, m)
		}
		return nil
	})
	return out, err
}
