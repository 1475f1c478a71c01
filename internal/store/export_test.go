package store

import "github.com/prometheus/client_golang/prometheus"

var MustBatchesForTest = mustBatchesForTest

func mustBatchesForTest(name, result string) prometheus.Counter {
	return batchesTotal.WithLabelValues(name, result)
}

// TxRetriesForTest reads the retry counter.
var TxRetriesForTest = txRetriesTotal
