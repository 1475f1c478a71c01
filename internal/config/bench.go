package config

import (
	"flag"
	"fmt"
	"slices"
	"time"
)

// BenchFlags are jodo bench intake's flags.
type BenchFlags struct {
	PG        string        // --pg: also run against this PostgreSQL database
	Conns     int           // --conns
	For       time.Duration // --duration: each run's length
	Load      string        // --load: go or wrk
	Latency   time.Duration // --latency: one-way delay of the proxy to PostgreSQL
	Proxy     bool          // --latency was given (0s measures the proxy's own cost)
	Nodes     int           // --nodes: jodo serve processes on the PostgreSQL database
	Followups string        // --followups: both, off or on
	Server    string        // --server-binary: serve and prepare with this jodo
}

func (c *Config) benchFlags(fs *flag.FlagSet) {
	b := &c.Bench
	fs.StringVar(&b.PG, "pg", "", "also run against this PostgreSQL database (created empty for the run)")
	fs.IntVar(&b.Conns, "conns", 64, "concurrent connections")
	fs.DurationVar(&b.For, "duration", 10*time.Second, "length of each run")
	fs.StringVar(&b.Load, "load", "go", "the load generator: go (in this process) or wrk (Debian's wrk, -t1 a node)")
	fs.Func("latency", "also run PostgreSQL through a loopback proxy adding this delay each way (e.g. 500us; 0s: the proxy's own cost)", func(v string) error {
		d, err := time.ParseDuration(v)
		if err != nil || d < 0 {
			return fmt.Errorf("want a duration such as 500us")
		}
		b.Latency, b.Proxy = d, true
		return nil
	})
	fs.IntVar(&b.Nodes, "nodes", 1, "jodo serve processes sharing the PostgreSQL database (the load is split between them)")
	fs.StringVar(&b.Followups, "followups", "both", "both, off or on: runs without follow-up SMS, with them, or both")
	fs.StringVar(&b.Server, "server-binary", "", "serve and prepare with this jodo binary (default: this one), e.g. to measure code before a change")
}

func (b BenchFlags) validate() error {
	if !slices.Contains([]string{"go", "wrk"}, b.Load) {
		return fmt.Errorf("--load must be go or wrk, not %q", b.Load)
	}
	if !slices.Contains([]string{"both", "off", "on"}, b.Followups) {
		return fmt.Errorf("--followups must be both, off or on, not %q", b.Followups)
	}
	if b.Nodes < 1 || b.Conns < b.Nodes {
		return fmt.Errorf("--nodes must be at least 1 and at most --conns (%d)", b.Conns)
	}
	return nil
}
