package intake

import "github.com/jodo-org/jodo/internal/store"

// How many batches of each kind of item may commit at once
// (store.GroupSpec.Writers), decided here for the whole intake.

// callWriters is one on SQLite and two on PostgreSQL, where concurrent
// batches of calls overlap their round trips and fsyncs. Two, not
// db.Writers()' four: a batch of calls is a fixed handful of statements,
// so the machine's CPU, not the round trips, bounds the intake, and two
// writers make batches twice as large for the same statements (issue 24:
// with wrk, 5,717–7,963 calls/s against 4,760–6,435 with four, alternate
// runs on one machine; docs/performance.md).
func callWriters(db *store.DB) int { return min(db.Writers(), 2) }

// WhatsAppWriters is how many batches of WhatsApp POSTs commit at once on
// db: one on SQLite, two on PostgreSQL. Fewer than db.Writers(): known
// senders' messages are stored with a fixed handful of statements per
// POST, one transaction a batch, so fewer, larger batches leave more of the machine to the bot
// (measured in docs/performance.md, "After group-committing WhatsApp
// webhooks"). Exported for the bot's benchmark, which writes messages as
// jodo serve does.
func WhatsAppWriters(db *store.DB) int { return min(db.Writers(), 2) }
