package console

import (
	"os"
	"testing"

	"github.com/jodo-org/jodo/internal/locale"
)

// Every console message is in every language, none empty.
func TestCatalogsComplete(t *testing.T) {
	for _, p := range locale.Problems(os.DirFS("."), "locales", Languages) {
		t.Error(p)
	}
}

func TestIndianGrouping(t *testing.T) {
	for n, want := range map[int64]string{0: "0", 999: "999", 1000: "1,000", 99999: "99,999", 500000: "5,00,000",
		12345678: "1,23,45,678", 1000000000: "1,00,00,00,000", -150000: "-1,50,000"} {
		if got := indian(n); got != want {
			t.Errorf("indian(%d) = %q, want %q", n, got, want)
		}
	}
}
