package signin

import (
	"errors"

	"github.com/prometheus/client_golang/prometheus"
)

// metrics are sign-in's; jodo_signin_codes_today against
// jodo_signin_codes_budget is the SMS-pumping alert.
type metrics struct {
	codes  *prometheus.CounterVec
	checks *prometheus.CounterVec
	today  prometheus.Gauge
	budget prometheus.Gauge
}

func newMetrics(reg prometheus.Registerer, budget int) (*metrics, error) {
	m := &metrics{
		codes: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "jodo_signin_codes_total",
			Help: "Sign-in code requests by outcome (sent, limited_phone, limited_ip, limited_network, budget, budget_country, country, error)."}, []string{"outcome"}),
		checks: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "jodo_signin_checks_total",
			Help: "Sign-in code checks by result (valid, wrong, none, locked, malformed, error)."}, []string{"result"}),
		today: prometheus.NewGauge(prometheus.GaugeOpts{Name: "jodo_signin_codes_today",
			Help: "Sign-in codes sent today, all phones, across all nodes, as last seen by this node."}),
		budget: prometheus.NewGauge(prometheus.GaugeOpts{Name: "jodo_signin_codes_budget",
			Help: "The daily budget of sign-in codes (0: unlimited)."}),
	}
	m.budget.Set(float64(budget))
	if reg == nil {
		return m, nil
	}
	var errs []error
	for _, c := range []prometheus.Collector{m.codes, m.checks, m.today, m.budget} {
		errs = append(errs, reg.Register(c))
	}
	return m, errors.Join(errs...)
}
