package store

import (
	"context"

	"github.com/prometheus/client_golang/prometheus"
)

var MustBatchesForTest = mustBatchesForTest

// PassiveCheckpointsForTest counts the passive checkpoints db has run.
func PassiveCheckpointsForTest(db *DB) int64 { return db.passives.Load() }

func mustBatchesForTest(name, result string) prometheus.Counter {
	return batchesTotal.WithLabelValues(name, result)
}

// TxRetriesForTest reads the retry counter.
var TxRetriesForTest = txRetriesTotal

// SearchPeopleForTest is SearchPeople from the scope's participations
// when fromScope, from the keys with the prefix when not.
func SearchPeopleForTest(db *DB, ctx context.Context, q PeopleQuery, fromScope bool) ([]PersonRow, PeopleCursor, error) {
	if fromScope {
		return db.searchPeople(ctx, q, byScope)
	}
	return db.searchPeople(ctx, q, byKeys)
}

// SearchesFromScopeForTest reports whether SearchPeople would start q
// from its scope's participations.
func SearchesFromScopeForTest(db *DB, ctx context.Context, q PeopleQuery) (bool, error) {
	var plan searchPlan
	err := db.View(ctx, func(tx *Tx) (err error) {
		plan, err = q.plan(ctx, tx)
		return err
	})
	return plan == byScope, err
}

// ContactsInForTest is contactsIn: the query of a batch's contact points.
var ContactsInForTest = contactsIn

// StatementsForTest is how many statements tx has run or queued.
func StatementsForTest(tx *Tx) int { return tx.statements }

// PurgeChunk is how many rows a purge deletes in one transaction.
const PurgeChunk = purgeChunk

// CallPlansForTest counts the plans tx's connection made for the call
// statement (recordCallsPG's) it has prepared: planned for given
// parameters (custom) and kept for all (generic). PostgreSQL only.
func CallPlansForTest(ctx context.Context, tx *Tx) (custom, generic int64, err error) {
	err = tx.queryRow(ctx, `SELECT COALESCE(SUM(custom_plans), 0), COALESCE(SUM(generic_plans), 0)
		FROM pg_prepared_statements WHERE statement LIKE 'WITH stale AS MATERIALIZED%'`).Scan(&custom, &generic)
	return custom, generic, err
}

// CallStatementForTest is the statement a batch of calls runs on
// PostgreSQL (recordCallsPG).
var CallStatementForTest = callStatementPG

// CallStatementLastForTest is the statement of a batch of calls whose
// COMMIT goes with it (RecordCallsLast) on PostgreSQL.
var CallStatementLastForTest = callStatementLastPG
