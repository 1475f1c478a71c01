package jobs

import (
	"context"
	"time"

	"github.com/riverqueue/river"

	"github.com/jodo-org/jodo/internal/store"
)

// InboxRetention is how long a processed webhook payload is kept. Raw
// payloads carry phone numbers and message bodies; once processed, the
// domain tables hold what is needed.
const InboxRetention = 90 * 24 * time.Hour

// PurgeInboxArgs asks for processed inbox items past retention to be deleted.
type PurgeInboxArgs struct{}

// Kind names the job in River's table.
func (PurgeInboxArgs) Kind() string { return "purge_inbox" }

// PurgeInbox deletes processed inbox items older than InboxRetention.
type PurgeInbox struct {
	river.WorkerDefaults[PurgeInboxArgs]
	DB *store.DB
}

// Work runs one purge.
func (w *PurgeInbox) Work(ctx context.Context, job *river.Job[PurgeInboxArgs]) error {
	_, err := w.DB.PurgeInbox(ctx, w.DB.Now().Add(-InboxRetention))
	return err
}

// OutboxRetention is how long an outbound message is kept once it is no
// longer queued or sending: long enough for late status reports, the
// person's /me timeline and an operator looking into a complaint. A sent
// message keeps only its summary (secrets masked) meanwhile.
const OutboxRetention = 90 * 24 * time.Hour

// PurgeOutboxArgs asks for outbox messages past retention to be deleted.
type PurgeOutboxArgs struct{}

// Kind names the job in River's table.
func (PurgeOutboxArgs) Kind() string { return "purge_outbox" }

// PurgeOutbox deletes outbox messages made more than OutboxRetention ago
// that are no longer queued or sending.
type PurgeOutbox struct {
	river.WorkerDefaults[PurgeOutboxArgs]
	DB *store.DB
}

// Work runs one purge.
func (w *PurgeOutbox) Work(ctx context.Context, job *river.Job[PurgeOutboxArgs]) error {
	_, err := w.DB.PurgeOutbox(ctx, w.DB.Now().Add(-OutboxRetention))
	return err
}

// SigninRetention is how long sign-in codes (they hold phone numbers) and
// ended sessions are kept: a little over the longest rate-limit window.
const SigninRetention = 48 * time.Hour

// PurgeSigninArgs asks for old sign-in codes and ended sessions to be deleted.
type PurgeSigninArgs struct{}

// Kind names the job in River's table.
func (PurgeSigninArgs) Kind() string { return "purge_signin" }

// PurgeSignin deletes codes and ended sessions older than SigninRetention.
type PurgeSignin struct {
	river.WorkerDefaults[PurgeSigninArgs]
	DB *store.DB
}

// Work runs one purge.
func (w *PurgeSignin) Work(ctx context.Context, job *river.Job[PurgeSigninArgs]) error {
	_, err := w.DB.PurgeSignin(ctx, w.DB.Now().Add(-SigninRetention))
	return err
}

// PurgeAuditArgs asks for audit entries past store.AuditRetention to be
// deleted.
type PurgeAuditArgs struct{}

// Kind names the job in River's table.
func (PurgeAuditArgs) Kind() string { return "purge_audit" }

// PurgeAudit deletes audit entries older than store.AuditRetention
// (DESIGN.md §7: a year).
type PurgeAudit struct {
	river.WorkerDefaults[PurgeAuditArgs]
	DB *store.DB
}

// Work runs one purge.
func (w *PurgeAudit) Work(ctx context.Context, job *river.Job[PurgeAuditArgs]) error {
	_, err := w.DB.PurgeAudit(ctx, w.DB.Now().Add(-store.AuditRetention))
	return err
}

// Standard returns the workers and periodic jobs every server runs.
func Standard(db *store.DB) (*river.Workers, []*river.PeriodicJob) {
	workers := river.NewWorkers()
	river.AddWorker(workers, &PurgeInbox{DB: db})
	river.AddWorker(workers, &PurgeSignin{DB: db})
	river.AddWorker(workers, &PurgeOutbox{DB: db})
	river.AddWorker(workers, &PurgeAudit{DB: db})
	periodic := []*river.PeriodicJob{
		river.NewPeriodicJob(river.PeriodicInterval(time.Hour),
			func() (river.JobArgs, *river.InsertOpts) { return PurgeInboxArgs{}, nil },
			&river.PeriodicJobOpts{RunOnStart: true, ID: "purge_inbox"}),
		river.NewPeriodicJob(river.PeriodicInterval(time.Hour),
			func() (river.JobArgs, *river.InsertOpts) { return PurgeSigninArgs{}, nil },
			&river.PeriodicJobOpts{RunOnStart: true, ID: "purge_signin"}),
		river.NewPeriodicJob(river.PeriodicInterval(time.Hour),
			func() (river.JobArgs, *river.InsertOpts) { return PurgeOutboxArgs{}, nil },
			&river.PeriodicJobOpts{RunOnStart: true, ID: "purge_outbox"}),
		river.NewPeriodicJob(river.PeriodicInterval(time.Hour),
			func() (river.JobArgs, *river.InsertOpts) { return PurgeAuditArgs{}, nil },
			&river.PeriodicJobOpts{RunOnStart: true, ID: "purge_audit"}),
	}
	return workers, periodic
}
