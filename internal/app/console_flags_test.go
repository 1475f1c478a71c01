package app_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jodo-org/jodo/internal/access"
	"github.com/jodo-org/jodo/internal/people"
	"github.com/jodo-org/jodo/internal/store"
)

// recruit registers a person at ac as the join form does, referred by
// referrer, their phone proven; it returns their participation.
func (w *consoleWorld) recruit(name, phone, ac string, referrer int64) int64 {
	w.t.Helper()
	ctx := context.Background()
	area, err := w.db.GetArea(ctx, ac)
	if err != nil {
		w.t.Fatal(err)
	}
	p := people.New([]byte(processSecretKey))
	day := time.Now().In(time.FixedZone("IST", 19800)).Format(time.DateOnly)
	var part int64
	err = w.db.Update(ctx, func(tx *store.Tx) error {
		j, err := p.JoinByPhone(ctx, tx, people.PhoneJoin{Phone: phone, DriveID: w.driveID, Language: "hi", Channel: "web", Day: day})
		if err != nil {
			return err
		}
		pa, err := store.FindParticipation(ctx, tx, j.PersonID, w.driveID)
		if err != nil {
			return err
		}
		part = pa.ID
		if set, err := store.SetReferrer(ctx, tx, part, referrer); err != nil || !set {
			return fmt.Errorf("referring %s: set %v, %v", name, set, err)
		}
		_, err = p.Register(ctx, tx, people.Registration{PersonID: j.PersonID, DriveID: w.driveID, Name: name, Language: "hi", AreaID: area.ID,
			Consents: []string{store.PurposeMembership}, NoticeVersion: "test", Channel: "web", Day: day, Proof: people.ByLink})
		return err
	})
	if err != nil {
		w.t.Fatal(err)
	}
	return part
}

// The Flags page shows a coordinator the bursts in their areas: the
// recruiter named and linked, a network and a device counted but never
// shown, a flag turned off in configuration said to be off; another AC's
// coordinator sees none of it, a viewer is refused.
func TestConsoleFlags(t *testing.T) {
	w := newConsoleWorld(t, 50, "JODO_FLAG_RECRUITS", "3", "JODO_FLAG_RECRUITS_WITHIN", "30m", "JODO_FLAG_NETWORK", "3",
		"JODO_FLAG_DEVICE", "2", "JODO_FLAG_DEVICE_WITHIN", "10m", "JODO_FLAG_GROUPS", "0")
	const network, device = "49.36.12.0/24", "c2VjcmV0LWRldmljZS1oYXNo"
	ctx := context.Background()
	for i := range 3 {
		part := w.recruit(fmt.Sprint("Recruit ", i), fmt.Sprintf("+91987653000%d", i), "JH-AC-063", w.ranchi)
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
	w.recruit("Dhanbad Recruit 1", "+919876540001", "JH-AC-040", w.dhanbad)
	w.recruit("Dhanbad Recruit 2", "+919876540002", "JH-AC-040", w.dhanbad)

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
