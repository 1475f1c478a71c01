package app_test

import (
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/jodo-org/jodo/internal/store/storetest"
)

// The missed-call curl the demo prints, run twice as a shell would run it,
// records two calls: its call id is new each time, not a duplicate. The
// token comes as a line the README's next command ($TOKEN) can use.
func TestDemoCurlGivesANewCallEachRun(t *testing.T) {
	t.Parallel()
	var out syncBuffer
	base, _, stop := startWith(t, "demo", storetest.URL(t), &out, nil, "--quiet") // no trickle: the test counts calls
	defer stop()
	if !strings.Contains(out.String(), "\nexport TOKEN=jodo_") {
		t.Errorf("no `export TOKEN=` line:\n%s", out.String())
	}
	curl := demoCurl(t, out.String())
	for range 2 {
		if b, err := exec.Command("sh", "-c", curl+" --fail --silent --show-error").CombinedOutput(); err != nil {
			t.Fatalf("%s: %v %s", curl, err, b)
		}
	}
	stored := 0.0
	for line := range strings.SplitSeq(getMetrics(t, base), "\n") {
		if strings.HasPrefix(line, "jodo_missed_calls_total{") && !strings.Contains(line, `outcome="duplicate"`) {
			v, _ := strconv.ParseFloat(line[strings.LastIndex(line, " ")+1:], 64)
			stored += v
		}
	}
	if stored != 2 {
		t.Errorf("the printed curl run twice stored %v calls, want 2", stored)
	}
}
