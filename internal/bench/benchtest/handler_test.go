package benchtest

import (
	"testing"
	"time"
)

func TestQuantileIsTheNearestRank(t *testing.T) {
	ms := func(n ...int) []time.Duration {
		out := make([]time.Duration, len(n))
		for i, v := range n {
			out[i] = time.Duration(v) * time.Millisecond
		}
		return out
	}
	var hundred, twenty []int
	for i := 100; i >= 1; i-- { // unsorted on purpose
		hundred = append(hundred, i)
		if i <= 20 {
			twenty = append(twenty, i)
		}
	}
	for _, c := range []struct {
		times []time.Duration
		q     float64
		want  time.Duration
	}{
		{ms(hundred...), 0.95, 95 * time.Millisecond},
		{ms(twenty...), 0.95, 19 * time.Millisecond},
		{ms(twenty...), 0.5, 10 * time.Millisecond},
		{ms(7), 0.95, 7 * time.Millisecond},
		{nil, 0.95, 0},
	} {
		if got := Quantile(c.times, c.q); got != c.want {
			t.Errorf("Quantile(%d times, %v) = %v, want %v", len(c.times), c.q, got, c.want)
		}
	}
	if got := Mean(ms(1, 2, 6)); got != 3*time.Millisecond {
		t.Errorf("Mean = %v, want 3ms", got)
	}
}
