package jobs

import (
	"context"

	"github.com/riverqueue/river"
)

// SweepGroupsArgs asks for the groups register's sweep: lapse the groups
// not re-confirmed in time, remind owners before theirs lapse.
type SweepGroupsArgs struct{}

// Kind names the job in River's table.
func (SweepGroupsArgs) Kind() string { return "sweep_groups" }

// GroupSweep registers run (groups.Sweeper's Run) as the sweep's worker,
// every hour and at start.
func GroupSweep(workers *river.Workers, run func(context.Context) (int64, error)) *river.PeriodicJob {
	return hourly(workers, SweepGroupsArgs{}, run)
}
