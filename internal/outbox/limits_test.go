package outbox

import (
	"context"
	"testing"
	"time"
)

// Each number has its own limit; inbound messages charged to a number
// delay its sends by at most a second; a pause holds it back as long as
// asked; a provider without a rate is never held.
func TestLimitsPerNumber(t *testing.T) {
	l := NewLimits(map[string]float64{"whatsapp": 10})
	ctx := context.Background()
	took := func(provider, from string) time.Duration {
		start := time.Now()
		if err := l.Wait(ctx, provider, from); err != nil {
			t.Fatal(err)
		}
		return time.Since(start)
	}
	took("whatsapp", "A")
	if d := took("whatsapp", "B"); d > 50*time.Millisecond {
		t.Errorf("number B waited %v for number A's send", d)
	}
	if d := took("whatsapp", "A"); d < 80*time.Millisecond {
		t.Errorf("number A's second send at 10/s waited only %v", d)
	}
	l.Charge("whatsapp", "B", 1000)
	if b := l.get("whatsapp", "B"); time.Until(b.nextAt) > time.Second+10*time.Millisecond || time.Until(b.nextAt) < 900*time.Millisecond {
		t.Errorf("1000 inbound messages push B's next send %v ahead, want about 1 s", time.Until(b.nextAt))
	}
	l.Pause("whatsapp", "A", 3*time.Second)
	if b := l.get("whatsapp", "A"); time.Until(b.nextAt) < 2900*time.Millisecond {
		t.Errorf("a 3 s pause holds A only %v", time.Until(b.nextAt))
	}
	short, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	if err := l.Wait(short, "whatsapp", "A"); err == nil {
		t.Error("a paused number let a send through")
	}
	l.Charge("exotel", "", 1000)
	if d := took("exotel", ""); d > 50*time.Millisecond {
		t.Errorf("an unlimited provider waited %v", d)
	}
}
