package store

import (
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
)

func openPostgres(url string) (*DB, error) {
	pool, err := sql.Open("pgx", withStatementCache(url))
	if err != nil {
		return nil, fmt.Errorf("store: open postgres: %w", err)
	}
	pool.SetMaxOpenConns(16)
	pool.SetMaxIdleConns(16)
	db := &DB{engine: Postgres, write: pool, read: pool, shards: newShardSlots(), routes: &routeCache{}}
	db.shards.claimer = db.claimShardRange
	return db, nil
}

// withStatementCache raises pgx's per-connection cache of prepared
// statements (512 by default) unless the URL sets it: batched writes use
// one statement text per batch size, and a cache smaller than their
// number re-prepares (an extra round trip and a plan) on every batch.
func withStatementCache(url string) string {
	if strings.Contains(url, "statement_cache_capacity=") {
		return url
	}
	sep := "?"
	if strings.Contains(url, "?") {
		sep = "&"
	}
	return url + sep + "statement_cache_capacity=4096"
}

// retryable reports whether a whole transaction may be retried: PostgreSQL
// aborts one side of a deadlock or a serialization conflict, and nothing of
// the aborted transaction was applied; a batch of calls routed from cached
// drives that changed meanwhile wrote nothing (errStaleRoutes).
func retryable(err error) bool {
	if errors.Is(err, errStaleRoutes) {
		return true
	}
	if pgErr, ok := errors.AsType[*pgconn.PgError](err); ok {
		// 23505 on people's membership numbers: GiveMembershipNo raced
		// by a transaction that gave the same number first.
		return pgErr.Code == "40001" || pgErr.Code == "40P01" ||
			(pgErr.Code == "23505" && pgErr.ConstraintName == "people_membership_no_key")
	}
	return false
}
