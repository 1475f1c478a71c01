package store_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/links"
	"github.com/jodo-org/jodo/internal/store"
	"github.com/jodo-org/jodo/internal/store/internal/rawsql"
)

const linkTTL = links.TTL

var testLinks = links.New([]byte(strings.Repeat("s", 32)))

// joinLink makes a link for a new lead, as the follow-up will, and returns
// it with the lead's participation.
func (f *driveFixture) joinLink(t testing.TB) (links.Link, int64) {
	t.Helper()
	pid := f.lead(t, f.person(t, "Asha", "+919876543210"))
	l := testLinks.Make(f.clock.Now())
	f.update(t, func(ctx context.Context, tx *store.Tx) error {
		return store.CreateJoinLink(ctx, tx, pid, l.TokenHash, l.CodeHash, l.ExpiresAt)
	})
	return l, pid
}

func useCode(f *driveFixture, code string) (int64, error) {
	var pid int64
	err := f.db.Update(context.Background(), func(tx *store.Tx) error {
		var err error
		pid, err = store.UseJoinCode(context.Background(), tx, testLinks.CodeHash(code))
		return err
	})
	return pid, err
}

func TestResolveToken(t *testing.T) {
	f := newDriveFixture(t)
	ctx := context.Background()
	link, pid := f.joinLink(t)

	l, err := f.db.ResolveToken(ctx, testLinks.TokenHash(link.Token))
	if err != nil || l.Status != store.LinkValid || l.ParticipationID != pid || l.DriveID != f.drive || l.PersonID == 0 {
		t.Fatalf("fresh link: %+v, %v", l, err)
	}
	if !l.ExpiresAt.Equal(fixtureStart.Add(linkTTL)) || !l.TokenUsedAt.IsZero() {
		t.Fatalf("fresh link times: %+v", l)
	}

	f.clock.Advance(linkTTL - time.Second)
	if l, err := f.db.ResolveToken(ctx, testLinks.TokenHash(link.Token)); err != nil || l.Status != store.LinkValid {
		t.Fatalf("a second before expiry: %+v, %v", l, err)
	}
	f.clock.Advance(time.Second)
	l, err = f.db.ResolveToken(ctx, testLinks.TokenHash(link.Token))
	if !errors.Is(err, store.ErrLinkExpired) || l.Status != store.LinkExpired || l.ParticipationID != pid {
		t.Fatalf("after 7 days: %+v, %v", l, err)
	}
	wantCode(t, err, apperr.NotFound)

	_, err = f.db.ResolveToken(ctx, testLinks.TokenHash("nosuchtoken00"))
	wantCode(t, err, apperr.NotFound)
	if errors.Is(err, store.ErrLinkExpired) {
		t.Fatal("an unknown token reads as expired")
	}
}

func TestJoinLinksStoreOnlyHashes(t *testing.T) {
	f := newDriveFixture(t)
	link, _ := f.joinLink(t)
	var cells []string
	f.update(t, func(ctx context.Context, tx *store.Tx) error {
		rows, err := rawsql.Tx(tx).QueryContext(ctx, `SELECT token_hash, code_hash FROM join_links`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var token, code string
			if err := rows.Scan(&token, &code); err != nil {
				return err
			}
			cells = append(cells, token, code)
		}
		return rows.Err()
	})
	if len(cells) != 2 || cells[0] != link.TokenHash || cells[1] != link.CodeHash {
		t.Fatalf("stored %q, want the hashes of %+v", cells, link)
	}
	for _, c := range cells {
		c = strings.ToUpper(c)
		if strings.Contains(c, strings.ToUpper(link.Token)) || strings.Contains(c, link.Code) {
			t.Fatalf("stored %q holds a raw value of %+v", c, link)
		}
	}
}

func TestCreateJoinLinkRefusesBadInput(t *testing.T) {
	f := newDriveFixture(t)
	pid := f.lead(t, f.person(t, "Asha", "+919876500001"))
	ctx := context.Background()
	for name, fn := range map[string]func(*store.Tx) error{
		"no token": func(tx *store.Tx) error { return store.CreateJoinLink(ctx, tx, pid, "", "c", tx.Now.Add(linkTTL)) },
		"past":     func(tx *store.Tx) error { return store.CreateJoinLink(ctx, tx, pid, "t", "c", tx.Now) },
		"no lead":  func(tx *store.Tx) error { return store.CreateJoinLink(ctx, tx, 0, "t", "c", tx.Now.Add(linkTTL)) },
	} {
		if err := f.db.Update(ctx, fn); apperr.CodeOf(err) != apperr.Invalid {
			t.Errorf("%s: %v, want invalid", name, err)
		}
	}
	// A token hash is unique: a collision fails rather than rebinding it.
	f.update(t, func(ctx context.Context, tx *store.Tx) error {
		return store.CreateJoinLink(ctx, tx, pid, "t1", "", tx.Now.Add(linkTTL))
	})
	if err := f.db.Update(ctx, func(tx *store.Tx) error {
		return store.CreateJoinLink(ctx, tx, pid, "t1", "", tx.Now.Add(linkTTL))
	}); err == nil {
		t.Fatal("a second link with the same token hash was stored")
	}
}

func TestUseJoinCodeOnce(t *testing.T) {
	f := newDriveFixture(t)
	link, pid := f.joinLink(t)

	got, err := useCode(f, link.Code)
	if err != nil || got != pid {
		t.Fatalf("first use: %d, %v; want %d", got, err, pid)
	}
	_, err = useCode(f, link.Code)
	wantCode(t, err, apperr.Conflict)
	_, err = useCode(f, "ZZZZ234567")
	wantCode(t, err, apperr.NotFound)
	_, err = useCode(f, "")
	wantCode(t, err, apperr.NotFound)

	// Using the code leaves the registration token valid.
	if l, err := f.db.ResolveToken(context.Background(), testLinks.TokenHash(link.Token)); err != nil || l.Status != store.LinkValid {
		t.Fatalf("token after its code was used: %+v, %v", l, err)
	}
}

func TestUseJoinCodeExpired(t *testing.T) {
	f := newDriveFixture(t)
	link, _ := f.joinLink(t)
	f.clock.Advance(linkTTL)
	_, err := useCode(f, link.Code)
	if !errors.Is(err, store.ErrLinkExpired) {
		t.Fatalf("expired code: %v", err)
	}
}

func TestUseJoinCodeConcurrently(t *testing.T) {
	f := newDriveFixture(t)
	link, pid := f.joinLink(t)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var won, conflicts int
	var others []error
	for range 32 {
		wg.Go(func() {
			got, err := useCode(f, link.Code)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil && got == pid:
				won++
			case apperr.CodeOf(err) == apperr.Conflict:
				conflicts++
			default:
				others = append(others, err)
			}
		})
	}
	wg.Wait()
	if won != 1 || conflicts != 31 || len(others) > 0 {
		t.Fatalf("%d won, %d conflicts, others %v", won, conflicts, others)
	}
}
