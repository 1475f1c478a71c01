package store

import (
	"database/sql"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// Group-commit metrics. They are registered by whoever serves /metrics
// (Collectors), never on a global registry.
var (
	batchRows = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "jodo_group_commit_batch_rows",
		Help:    "Rows per group-commit batch.",
		Buckets: prometheus.ExponentialBuckets(1, 2, 11),
	}, []string{"name"})
	batchSeconds = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "jodo_group_commit_batch_seconds",
		Help:    "Time to commit one group-commit batch.",
		Buckets: prometheus.ExponentialBuckets(0.0005, 2, 12),
	}, []string{"name"})
	batchesTotal = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "jodo_group_commit_batches_total",
		Help: "Group-commit batches by result (ok; split: a failed batch written row by row; failed).",
	}, []string{"name", "result"})
	txRetriesTotal = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "jodo_tx_retries_total",
		Help: "Write transactions retried whole after a PostgreSQL deadlock or serialization failure.",
	})
)

// Collectors returns the store's metrics for registration.
func Collectors() []prometheus.Collector {
	return []prometheus.Collector{batchRows, batchSeconds, batchesTotal, txRetriesTotal}
}

// PoolCollectors returns db's connection-pool statistics (go_sql_*),
// labelled pool="main", or "write" and "read" when SQLite has two pools.
func (db *DB) PoolCollectors() []prometheus.Collector {
	pools := map[string]*sql.DB{"write": db.write, "read": db.read}
	if db.read == db.write {
		pools = map[string]*sql.DB{"main": db.write}
	}
	var out []prometheus.Collector
	for name, pool := range pools {
		out = append(out, prometheus.WrapCollectorWith(prometheus.Labels{"pool": name}, collectors.NewDBStatsCollector(pool, "jodo")))
	}
	return out
}

func observeBatch(name string, rows int, d time.Duration, result string) {
	batchRows.WithLabelValues(name).Observe(float64(rows))
	batchSeconds.WithLabelValues(name).Observe(d.Seconds())
	batchesTotal.WithLabelValues(name, result).Inc()
}
