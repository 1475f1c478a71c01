package outbox

import (
	"errors"

	"github.com/prometheus/client_golang/prometheus"
)

// metrics are the sender's; jodo_outbox_budget_used against
// jodo_outbox_budget_limit is the budget alert.
type metrics struct {
	sends       *prometheus.CounterVec
	finished    *prometheus.CounterVec
	expired     prometheus.Counter
	deferred    *prometheus.CounterVec
	budgetUsed  *prometheus.GaugeVec
	budgetLimit *prometheus.GaugeVec
	whatsapp    *prometheus.CounterVec
}

func newMetrics(cfg Config) (*metrics, error) {
	m := &metrics{
		sends: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "jodo_outbox_sends_total",
			Help: "Provider calls by provider and outcome (accepted, rejected, not_sent, unknown)."}, []string{"provider", "outcome"}),
		finished: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "jodo_outbox_finished_total",
			Help: "Answers recorded on messages, by what was recorded."}, []string{"result"}),
		expired: prometheus.NewCounter(prometheus.CounterOpts{Name: "jodo_outbox_expired_total",
			Help: "Messages left sending by a vanished sender, now unknown."}),
		deferred: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "jodo_outbox_budget_deferred_total",
			Help: "Messages held to the next day because the channel's daily budget was spent."}, []string{"channel"}),
		budgetUsed: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "jodo_outbox_budget_used",
			Help: "Sends started today on the channel, across all nodes, as last seen by this node."}, []string{"channel"}),
		budgetLimit: prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "jodo_outbox_budget_limit",
			Help: "The channel's daily budget."}, []string{"channel"}),
		whatsapp: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "jodo_outbox_whatsapp_total",
			Help: "WhatsApp messages held or changed before sending: switched_off (the drive's switch), outside_window (failed: no template or consent), template_fallback (sent as the template), closed_by_provider (a 131047)."}, []string{"what"}),
	}
	for ch, limit := range cfg.DailyBudget {
		m.budgetLimit.WithLabelValues(ch).Set(float64(limit))
	}
	if cfg.Registerer == nil {
		return m, nil
	}
	var errs []error
	for _, c := range []prometheus.Collector{m.sends, m.finished, m.expired, m.deferred, m.budgetUsed, m.budgetLimit, m.whatsapp} {
		errs = append(errs, cfg.Registerer.Register(c))
	}
	return m, errors.Join(errs...)
}
