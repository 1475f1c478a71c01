// Package signin owns signing in, for everyone: one-time codes sent to the
// person's phone through the outbox (6 digits, 10 minutes, 5 tries, used
// once), the limits that keep them from being abused (strict per phone,
// generous per client address because whole towns share a carrier NAT;
// against SMS pumping: codes only to the countries served, a daily cap
// per client network, a daily budget per country and in all), and the
// server-side sessions and cookies that follow. DESIGN.md §7.
package signin

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/netip"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/jodo-org/jodo/internal/ist"
	"github.com/jodo-org/jodo/internal/phone"
	"github.com/jodo-org/jodo/internal/store"
)

// Limit allows Max codes per Window.
type Limit struct {
	Max    int
	Window time.Duration
}

// Config tunes sign-in; zero fields take the defaults.
type Config struct {
	SecretKey []byte // JODO_SECRET_KEY: codes and tokens are stored as keyed hashes
	Secure    bool   // JODO_BASE_URL is https: __Host- cookies, Secure
	// TrustedProxies are the proxies (JODO_TRUSTED_PROXIES) whose
	// X-Forwarded-For is believed; from anyone else it is ignored.
	TrustedProxies []netip.Prefix

	CodeTTL  time.Duration // how long a code works (default 10m)
	MaxTries int           // checks a code allows (default 5)
	// PerPhone limits codes to one phone (default 3 per 15m and 10 per day).
	PerPhone []Limit
	// PerIP limits codes asked for from one network: an IPv4 address or an
	// IPv6 /64 (default 100 per hour).
	PerIP []Limit
	// PerNetwork caps the codes asked for from one wider network, an
	// IPv4 /24 or an IPv6 /48, so that one source cannot spend the day's
	// budget (default a tenth of DailyBudget a day; 2,000 when the budget
	// is unlimited).
	PerNetwork  []Limit
	DailyBudget int            // codes per day for all phones together; 0: unlimited
	Zone        *time.Location // where the budget's day runs (default IST)
	// Countries are those whose numbers get codes (JODO_COUNTRIES; empty:
	// India), the home country first. Each country after the home one may
	// take at most CountryShare of DailyBudget a day (default a tenth), so
	// pumping one country's numbers leaves the rest of the budget to the
	// others.
	Countries    phone.Countries
	CountryShare float64

	IdleTimeout     time.Duration // a session unused this long ends (default 7 days)
	AbsoluteTimeout time.Duration // a session ends this long after sign-in (default 30 days)

	// SMS queues the message carrying code to phone in tx, through the
	// outbox (class requested), in the person's language. nil: no codes
	// (a server with no SMS provider); sign-in links still work.
	SMS func(ctx context.Context, tx *store.Tx, phone, code, lang string) error
}

// defaultNetworkDaily is the per-network cap when the budget is unlimited:
// twenty times the per-address hourly limit, a tenth of the default budget.
const defaultNetworkDaily = 2000

// Signin sends and checks codes and keeps sessions.
type Signin struct {
	db  *store.DB
	cfg Config
	m   *metrics
}

// New returns sign-in over db, its metrics registered with reg (nil:
// nowhere).
func New(db *store.DB, cfg Config, reg prometheus.Registerer) (*Signin, error) {
	if len(cfg.SecretKey) == 0 {
		return nil, errors.New("signin: a secret key is required")
	}
	cfg = withDefaults(cfg)
	m, err := newMetrics(reg, cfg.DailyBudget)
	if err != nil {
		return nil, err
	}
	return &Signin{db: db, cfg: cfg, m: m}, nil
}

// Codes reports whether this server sends sign-in codes.
func (s *Signin) Codes() bool { return s.cfg.SMS != nil }

func withDefaults(c Config) Config {
	if c.CodeTTL <= 0 {
		c.CodeTTL = 10 * time.Minute
	}
	if c.MaxTries <= 0 {
		c.MaxTries = 5
	}
	if c.PerPhone == nil {
		c.PerPhone = []Limit{{3, 15 * time.Minute}, {10, 24 * time.Hour}}
	}
	if c.PerIP == nil {
		c.PerIP = []Limit{{100, time.Hour}}
	}
	if c.PerNetwork == nil {
		c.PerNetwork = []Limit{{defaultNetworkDaily, 24 * time.Hour}}
		if c.DailyBudget > 0 {
			c.PerNetwork[0].Max = max(1, c.DailyBudget/10)
		}
	}
	if c.CountryShare <= 0 {
		c.CountryShare = 0.1
	}
	if c.Zone == nil {
		c.Zone = ist.Zone
	}
	if c.IdleTimeout <= 0 {
		c.IdleTimeout = 7 * 24 * time.Hour
	}
	if c.AbsoluteTimeout <= 0 {
		c.AbsoluteTimeout = 30 * 24 * time.Hour
	}
	trusted := make([]netip.Prefix, len(c.TrustedProxies))
	for i, p := range c.TrustedProxies {
		trusted[i] = p.Masked()
	}
	c.TrustedProxies = trusted
	return c
}

// hash is hex HMAC-SHA256 under the secret key. A 6-digit code hashed
// without a key would be reversed by trying all million; the purpose
// prefix keeps a code's hash from ever matching a token's.
func (s *Signin) hash(purpose string, parts ...string) string {
	mac := hmac.New(sha256.New, s.cfg.SecretKey)
	mac.Write([]byte(purpose))
	for _, p := range parts {
		mac.Write([]byte{0})
		mac.Write([]byte(p))
	}
	return hex.EncodeToString(mac.Sum(nil))
}
