package app_test

import (
	"bytes"
	"context"
	"io"
	"regexp"
	"strings"
	"testing"

	"github.com/jodo-org/jodo/internal/app"
	"github.com/jodo-org/jodo/internal/config"
	"github.com/jodo-org/jodo/internal/store/storetest"
)

// geoMatch runs `jodo geo match args…` and returns its stdout and stderr.
func geoMatch(t *testing.T, dbURL string, args ...string) (stdout, stderr string) {
	t.Helper()
	cfg, err := config.Parse(append([]string{"geo", "match", "--db", dbURL}, args...), mapEnv(nil), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	if err := app.Run(context.Background(), cfg, app.IO{Stdout: &out, Stderr: &errOut}); err != nil {
		t.Fatalf("jodo geo match %s: %v", strings.Join(args, " "), err)
	}
	return out.String(), errOut.String()
}

var candidateLine = regexp.MustCompile(`^JH-[A-Z0-9-]+\t[^\t]+\t[^\t]*\t[01]\.\d\d$`)

func checkLines(t *testing.T, out string, want ...string) {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	for _, l := range lines {
		if !candidateLine.MatchString(l) {
			t.Errorf("line %q is not CODE<TAB>name_en<TAB>name_local<TAB>score", l)
		}
	}
	if len(lines) < len(want) {
		t.Fatalf("got %q, want it to start with %q", out, want)
	}
	for i, w := range want {
		if lines[i] != w {
			t.Errorf("line %d: %q, want %q", i+1, lines[i], w)
		}
	}
}

func TestGeoMatchCommand(t *testing.T) {
	t.Parallel()
	db := storetest.URL(t)
	mustJodo(t, db, "migrate")

	// An empty database: the shipped geography, said once on stderr.
	out, stderr := geoMatch(t, db, "ranchee")
	if !strings.Contains(stderr, "shipped Jharkhand geography") {
		t.Errorf("stderr %q: want the fallback said", stderr)
	}
	// Districts and ACs together: Ranchi is both, an equal tie.
	checkLines(t, out, "JH-AC-063\tRanchi\tरांची\t1.00", "JH-D-RANCHI\tRanchi\tरांची\t1.00")

	out, _ = geoMatch(t, db, "राँची", "--kind", "district")
	checkLines(t, out, "JH-D-RANCHI\tRanchi\tरांची\t1.00")

	if out, _ = geoMatch(t, db, "asdf"); out != "" {
		t.Errorf("garbage printed %q, want nothing", out)
	}

	// Once areas are stored, they are what is matched.
	mustJodo(t, db, "import", "areas", "builtin:jharkhand")
	out, stderr = geoMatch(t, db, "--kind", "ac", "jamshedpur", "purv")
	if stderr != "" {
		t.Errorf("stderr %q with areas stored", stderr)
	}
	checkLines(t, out, "JH-AC-048\tJamshedpur East\tजमशेदपुर पूर्वी\t1.00")

	if _, err := jodo(t, db, "geo", "match", "ranchi", "--kind", "pc"); err == nil {
		t.Error("--kind pc accepted")
	}
	if _, err := jodo(t, db, "geo", "match"); err == nil {
		t.Error("no text accepted")
	}
}
