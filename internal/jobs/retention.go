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

// OutboxRetention is how long an outbound message is kept once it is no
// longer queued or sending: long enough for late status reports, the
// person's /me timeline and an operator looking into a complaint. A sent
// message keeps only its summary (secrets masked) meanwhile.
const OutboxRetention = 90 * 24 * time.Hour

// PurgeOutboxArgs asks for outbox messages past retention to be deleted.
type PurgeOutboxArgs struct{}

// Kind names the job in River's table.
func (PurgeOutboxArgs) Kind() string { return "purge_outbox" }

// SigninRetention is how long sign-in codes (they hold phone numbers) and
// ended sessions are kept: a little over the longest rate-limit window.
const SigninRetention = 48 * time.Hour

// PurgeSigninArgs asks for old sign-in codes and ended sessions to be deleted.
type PurgeSigninArgs struct{}

// Kind names the job in River's table.
func (PurgeSigninArgs) Kind() string { return "purge_signin" }

// PurgeAuditArgs asks for audit entries past store.AuditRetention to be
// deleted.
type PurgeAuditArgs struct{}

// Kind names the job in River's table.
func (PurgeAuditArgs) Kind() string { return "purge_audit" }

// MarkRetention is how long a registration mark (the network prefix and
// device a registration came from) is kept: the velocity flags look back
// at most this far.
const MarkRetention = 30 * 24 * time.Hour

// PurgeMarksArgs asks for registration marks past MarkRetention to be
// deleted.
type PurgeMarksArgs struct{}

// Kind names the job in River's table.
func (PurgeMarksArgs) Kind() string { return "purge_registration_marks" }

// purge is a worker that deletes what is past its retention.
type purge[A river.JobArgs] struct {
	river.WorkerDefaults[A]
	run func(context.Context) (int64, error)
}

// Work runs one purge.
func (w *purge[A]) Work(ctx context.Context, _ *river.Job[A]) error {
	_, err := w.run(ctx)
	return err
}

// hourly registers run as the worker of args and schedules it every hour
// and at start.
func hourly[A river.JobArgs](workers *river.Workers, args A, run func(context.Context) (int64, error)) *river.PeriodicJob {
	river.AddWorker(workers, &purge[A]{run: run})
	return river.NewPeriodicJob(river.PeriodicInterval(time.Hour),
		func() (river.JobArgs, *river.InsertOpts) { return args, nil },
		&river.PeriodicJobOpts{RunOnStart: true, ID: args.Kind()})
}

// Standard returns the workers and periodic jobs every server runs: the
// purges, each deleting what is older than its retention.
func Standard(db *store.DB) (*river.Workers, []*river.PeriodicJob) {
	workers := river.NewWorkers()
	before := func(retention time.Duration) time.Time { return db.Now().Add(-retention) }
	periodic := []*river.PeriodicJob{
		hourly(workers, PurgeInboxArgs{}, func(ctx context.Context) (int64, error) { return db.PurgeInbox(ctx, before(InboxRetention)) }),
		hourly(workers, PurgeSigninArgs{}, func(ctx context.Context) (int64, error) { return db.PurgeSignin(ctx, before(SigninRetention)) }),
		hourly(workers, PurgeOutboxArgs{}, func(ctx context.Context) (int64, error) { return db.PurgeOutbox(ctx, before(OutboxRetention)) }),
		hourly(workers, PurgeAuditArgs{}, func(ctx context.Context) (int64, error) { return db.PurgeAudit(ctx, before(store.AuditRetention)) }),
		hourly(workers, PurgeMarksArgs{}, func(ctx context.Context) (int64, error) { return db.PurgeRegistrationMarks(ctx, before(MarkRetention)) }),
	}
	return workers, periodic
}
