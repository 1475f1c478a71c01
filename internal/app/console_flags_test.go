package app_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/jodo-org/jodo/internal/access"
	"github.com/jodo-org/jodo/internal/store"
)

// The Flags page shows a coordinator the bursts in their areas: the
// recruiter named and linked, a network and a device counted but never
// shown, a flag turned off in configuration said to be off; another AC's
// coordinator sees none of it, a viewer is refused.
func TestConsoleFlags(t *testing.T) {
	t.Parallel()
	w := newConsoleWorld(t, 50, "JODO_FLAG_RECRUITS", "3", "JODO_FLAG_RECRUITS_WITHIN", "30m", "JODO_FLAG_NETWORK", "3",
		"JODO_FLAG_DEVICE", "2", "JODO_FLAG_DEVICE_WITHIN", "10m", "JODO_FLAG_GROUPS", "0")
	const network, device = "49.36.12.0/24", "c2VjcmV0LWRldmljZS1oYXNo"
	ctx := context.Background()
	for i := range 3 {
		_, part := w.joinAt(fmt.Sprint("Recruit ", i), fmt.Sprintf("+91987653000%d", i), "JH-AC-063", w.ranchi)
		err := w.db.Update(ctx, func(tx *store.Tx) error {
			d := ""
			if i > 0 {
				d = device
			}
			return store.MarkRegistration(ctx, tx, store.RegistrationMark{ParticipationID: part, DriveID: w.driveID, Network: network, Device: d})
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	// Two recruits of Dhanbad's member: under the threshold.
	w.joinAt("Dhanbad Recruit 1", "+919876540001", "JH-AC-040", w.dhanbad)
	w.joinAt("Dhanbad Recruit 2", "+919876540002", "JH-AC-040", w.dhanbad)

	coord := w.staffClient("+919876500001", "Asha Kumari", access.Coordinator, "JH-AC-063")
	body := w.want(coord, "/console/flags?lang=en", 200, `href="/console/flags"`, "Velocity flags", "nothing has been changed or blocked",
		"Flagged at 3 or more within 30 minutes.", "सुनीता देवी", fmt.Sprintf(`href="/console/people/%d"`, w.ranchi),
		"A network (not shown)", "A device (not shown)", "This flag is turned off.")
	for _, never := range []string{"49.36", network, device, "Ramesh Kumar"} {
		if strings.Contains(body, never) {
			t.Errorf("the flags page shows %q", never)
		}
	}
	if n := strings.Count(body, "(not shown)"); n != 2 {
		t.Errorf("%d nameless flags, want the network's and the device's", n)
	}
	w.want(coord, "/console/flags?lang=hi", 200, "तेज़ी के संकेत", "सुनीता देवी", "एक नेटवर्क (दिखाया नहीं जाता)", "यह संकेत बंद है।")
	w.want(coord, "/console/flags?lang=en&area=JH-AC-040", 403)

	dhanbad := w.staffClient("+919876500004", "Dhanbad Coordinator", access.Coordinator, "JH-AC-040")
	body = w.want(dhanbad, "/console/flags?lang=en", 200, "No flags here.")
	for _, never := range []string{"सुनीता देवी", "Ramesh Kumar", "(not shown)"} {
		if strings.Contains(body, never) {
			t.Errorf("JH-AC-040's coordinator is shown %q", never)
		}
	}

	viewer := w.staffClient("+919876500003", "Viewer One", access.Viewer, "JH")
	if body := w.want(viewer, "/console/flags?lang=en", 403); strings.Contains(body, "सुनीता देवी") || strings.Contains(body, `href="/console/flags"`) {
		t.Error("a viewer is shown the flags or their link")
	}
}
