package intake

import "github.com/jodo-org/jodo/internal/store"

// How many batches of each kind of item may commit at once
// (store.GroupSpec.Writers), decided here for the whole intake.

// callWriters is db.Writers(): one on SQLite, a few on PostgreSQL, where
// concurrent batches of calls overlap their round trips and fsyncs.
func callWriters(db *store.DB) int { return db.Writers() }

// WhatsAppWriters is how many batches of WhatsApp POSTs commit at once on
// db: one on SQLite, two on PostgreSQL. Fewer than db.Writers(): known
// senders' messages are stored with a fixed handful of statements per
// POST, one transaction a batch, so fewer, larger batches leave more of the machine to the bot
// (measured in docs/performance.md, "After group-committing WhatsApp
// webhooks"). Exported for the bot's benchmark, which writes messages as
// jodo serve does.
func WhatsAppWriters(db *store.DB) int { return min(db.Writers(), 2) }
