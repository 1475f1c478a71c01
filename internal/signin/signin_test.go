package signin

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/jodo-org/jodo/internal/ist"
	"github.com/jodo-org/jodo/internal/store"
	"github.com/jodo-org/jodo/internal/store/storetest"
)

// fixture is sign-in over a fresh database whose clock the test moves.
// Codes go out as outbox messages, where the test reads them.
type fixture struct {
	db    *store.DB
	clock *storetest.Clock
	s     *Signin
	reg   *prometheus.Registry
}

func newFixture(t *testing.T, cfg Config) *fixture {
	t.Helper()
	f := &fixture{clock: storetest.NewClock(time.Date(2026, 2, 12, 10, 0, 0, 0, ist.Zone)), reg: prometheus.NewRegistry()}
	f.db = storetest.Open(t, f.clock)
	cfg.SecretKey = []byte("0123456789abcdef0123456789abcdef")
	cfg.SMS = func(ctx context.Context, tx *store.Tx, phone, code, lang string) error {
		_, err := store.EnqueueMessages(ctx, tx, []store.OutboxMessage{{Channel: store.ChannelSMS, Provider: "exotel",
			Class: store.ClassRequested, Template: "1107170000000000002", Body: lang + ": Your Jodo code is " + code, To: phone}})
		return err
	}
	var err error
	if f.s, err = New(f.db, cfg, f.reg); err != nil {
		t.Fatal(err)
	}
	return f
}

// request is a request from a client at addr (no port).
func request(addr string) *http.Request {
	r := httptest.NewRequest(http.MethodPost, "/signin", nil)
	r.RemoteAddr = netip.AddrPortFrom(netip.MustParseAddr(addr), 40000).String()
	return r
}

// send asks for a code for phone from addr.
func (f *fixture) send(t testing.TB, phone, addr string) error {
	t.Helper()
	return f.s.SendCode(context.Background(), request(addr), phone, "hi")
}

// mustSend asks for a code and returns it, as the SMS carried it.
func (f *fixture) mustSend(t testing.TB, phone, addr string) string {
	t.Helper()
	if err := f.send(t, phone, addr); err != nil {
		t.Fatalf("send a code to %s from %s: %v", phone, addr, err)
	}
	return f.lastCode(t, phone)
}

// lastCode is the code in the newest SMS to phone.
func (f *fixture) lastCode(t testing.TB, phone string) string {
	t.Helper()
	body := storetest.LastBody(t, f.db, phone)
	return body[strings.LastIndex(body, " ")+1:]
}

// messages counts the SMS queued.
func (f *fixture) messages(t testing.TB) int {
	t.Helper()
	return storetest.OutboxCount(t, f.db, storetest.Outbox{})
}

// person makes a person with a phone.
func (f *fixture) person(t testing.TB, phone string) int64 {
	t.Helper()
	var id int64
	err := f.db.Update(context.Background(), func(tx *store.Tx) error {
		var err error
		if id, err = store.CreatePerson(context.Background(), tx, store.Person{Name: "Sunita", Language: "hi"}); err != nil {
			return err
		}
		return store.AddContact(context.Background(), tx, id, store.ContactPhone, phone)
	})
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// wrong is a code that is not code.
func wrong(code string) string {
	if code == "000000" {
		return "111111"
	}
	return "000000"
}
