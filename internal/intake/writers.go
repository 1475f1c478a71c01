package intake

import "github.com/jodo-org/jodo/internal/store"

// How many batches of each kind of item may commit at once
// (store.GroupSpec.Writers), decided here for the whole intake.

// callWriters is one on both engines. A batch of calls is one or two
// round trips on PostgreSQL (store.RecordCallsLast), so one writer's
// batches come back fast and grow with the load, and two
// concurrent batches cost PostgreSQL far more CPU a call than one large one
// (issue 24, alternating runs on one machine with wrk: one writer
// 5,579–8,201 calls/s at 80–113 µs of PostgreSQL CPU a call, two
// 4,572–5,730 at 147–181 µs; through +500 µs each way 3,954–4,143
// against 3,195–3,251; docs/performance.md). Each server of several has
// its own writer.
const callWriters = 1

// WhatsAppWriters is how many batches of WhatsApp POSTs commit at once on
// db: one on SQLite, two on PostgreSQL. Fewer than db.Writers(): known
// senders' messages are stored with a fixed handful of statements per
// POST, one transaction a batch, so fewer, larger batches leave more of the machine to the bot
// (measured in docs/performance.md, "After group-committing WhatsApp
// webhooks"). Exported for the bot's benchmark, which writes messages as
// jodo serve does.
func WhatsAppWriters(db *store.DB) int { return min(db.Writers(), 2) }
