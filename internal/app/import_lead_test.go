package app_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"github.com/jodo-org/jodo/internal/app"
	"github.com/jodo-org/jodo/internal/config"
	"github.com/jodo-org/jodo/internal/phone"
	"github.com/jodo-org/jodo/internal/sms/smstest"
	"github.com/jodo-org/jodo/internal/store"
	"github.com/jodo-org/jodo/internal/store/storetest"
)

// Someone a list brought in without an adult declaration is a lead, not
// a member, until they confirm 18+ themselves: they give a missed call,
// the follow-up SMS's link opens the registration form, and submitting it
// makes them a member, counted once (their participation's channel is the
// import's). Someone the list declared 18+ is a member already and gets no
// follow-up.
func TestImportedLeadBecomesAMemberThemselves(t *testing.T) {
	t.Parallel()
	dbURL := storetest.URL(t)
	smsDrive(t, dbURL, "hi")
	gw := smstest.NewFakeGateway()
	defer gw.Close()
	base := smsServe(t, dbURL, gw)
	file := filepath.Join(t.TempDir(), "list.csv")
	os.WriteFile(file, []byte("phone,name,area,adult,adult_evidence\n"+
		"+919877700961,Lead From List,JH-AC-063,,\n+919877700962,Member From List,JH-AC-063,yes,voter roll\n"), 0o600)
	cfg, err := config.Parse([]string{"import", "people", file, "--drive", "jh-sms", "--source", "Ranchi list", "--db", dbURL},
		mapEnv(map[string]string{"JODO_SECRET_KEY": processSecretKey}), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if err := app.Run(context.Background(), cfg, app.IO{Stdout: &out, Stderr: io.Discard}); err != nil {
		t.Fatalf("import: %v\n%s", err, out.String())
	}
	db := storetest.Attach(t, dbURL)
	if got := storetest.CountsByChannel(t, db, store.ChannelImport); got["leads"] != 2 || got["members"] != 1 {
		t.Fatalf("the import counted %v", got)
	}

	link := followupLink(t, base, gw, "imported-lead-1", "+919877700961")
	resp, err := http.PostForm(link+"?lang=en", url.Values{"consent_membership": {"yes"}, "age18": {"yes"},
		"name": {"Lead From List"}, "ac": {"JH-AC-063"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("registering by the link: HTTP %d", resp.StatusCode)
	}
	if got := storetest.CountsByChannel(t, db, store.ChannelImport); got["leads"] != 2 || got["members"] != 2 || got["verified"] != 1 {
		t.Errorf("after the lead registered themselves: %v (the link proved their phone: verified 1)", got)
	}
	before := len(gw.Received())
	smsCall(t, base, "imported-member-1", "+919877700962")
	smsCall(t, base, "imported-lead-2", "+919877700961")
	followupLink(t, base, gw, "newcomer-1", "+919877700963") // processed after the two calls above
	for _, r := range gw.Received()[before:] {
		if r.To != "+919877700963" {
			t.Errorf("a member who called got a follow-up SMS: %s", phone.Mask(r.To))
		}
	}
	if got := storetest.CountsByChannel(t, db, store.ChannelImport); got["members"] != 2 || got["leads"] != 2 {
		t.Errorf("calls from members counted again: %v", got)
	}
}
