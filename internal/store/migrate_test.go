package store_test

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/jodo-org/jodo/internal/store"
	"github.com/jodo-org/jodo/internal/store/internal/rawsql"
	"github.com/jodo-org/jodo/internal/store/storetest"
)

func TestMigrateIsIdempotent(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t, nil)
	if err := db.Migrate(ctx, nil); err != nil {
		t.Fatalf("second migrate: %v", err)
	}
	if err := db.CheckSchema(ctx); err != nil {
		t.Fatalf("schema not current after migrate: %v", err)
	}
}

func TestRefusesNewerSchema(t *testing.T) {
	ctx := context.Background()
	db := storetest.Open(t, nil)
	err := db.Update(ctx, func(tx *store.Tx) error {
		_, err := rawsql.Tx(tx).ExecContext(ctx, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (9999, 'future', 0)")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Migrate(ctx, nil); !errors.Is(err, store.ErrSchemaNewer) {
		t.Fatalf("migrate on a newer schema: got %v, want ErrSchemaNewer", err)
	}
	if err := db.CheckSchema(ctx); !errors.Is(err, store.ErrSchemaNewer) {
		t.Fatalf("CheckSchema on a newer schema: got %v, want ErrSchemaNewer", err)
	}
}

func TestCheckSchemaBeforeMigrate(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(ctx, storetest.URL(t), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.CheckSchema(ctx); err == nil {
		t.Fatal("CheckSchema succeeded on an empty database")
	}
}

// Both engines must end with the same tables and columns, so one SQL text
// and one set of store methods serve both.
func TestEnginesHaveSameSchema(t *testing.T) {
	pg := storetest.RequirePostgres(t)
	ctx := context.Background()
	lite, err := store.Open(ctx, "sqlite:"+filepath.Join(t.TempDir(), "s.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer lite.Close()
	if err := lite.Migrate(ctx, nil); err != nil {
		t.Fatal(err)
	}
	pgURL := storetest.NewSchema(t, pg)
	post, err := store.Open(ctx, pgURL, store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer post.Close()
	if err := post.Migrate(ctx, nil); err != nil {
		t.Fatal(err)
	}
	got, want := schemaOf(t, post), schemaOf(t, lite)
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("schemas differ:\npostgres: %v\nsqlite:   %v", got, want)
	}
	if _, ok := want["inbox"]; !ok {
		t.Fatalf("no inbox table in %v", want)
	}
}

// schemaOf lists Jodo's own tables (not River's) with their sorted columns.
func schemaOf(t *testing.T, db *store.DB) map[string][]string {
	t.Helper()
	ctx := context.Background()
	out := map[string][]string{}
	err := db.View(ctx, func(tx *store.Tx) error {
		var rows *sql.Rows
		var err error
		if tx.Engine() == store.SQLite {
			rows, err = rawsql.Tx(tx).QueryContext(ctx, `SELECT m.name, p.name FROM sqlite_master m, pragma_table_info(m.name) p
				WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'`)
		} else {
			rows, err = rawsql.Tx(tx).QueryContext(ctx, `SELECT table_name, column_name FROM information_schema.columns
				WHERE table_schema = current_schema()`)
		}
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var table, col string
			if err := rows.Scan(&table, &col); err != nil {
				return err
			}
			if !strings.HasPrefix(table, "river_") {
				out[table] = append(out[table], col)
			}
		}
		return rows.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, cols := range out {
		sort.Strings(cols)
	}
	return out
}
