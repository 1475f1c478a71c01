package app_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jodo-org/jodo/internal/access"
	"github.com/jodo-org/jodo/internal/drive"
	"github.com/jodo-org/jodo/internal/store"
)

// withPosts gives the console world's drive the reference drive's posts.
func (w *consoleWorld) withPosts() {
	w.t.Helper()
	w.editDrive(func(f *drive.File) {
		f.Posts = []drive.Post{
			{Code: "pc-sm-coordinator", Title: "PC social media coordinator", TitleLocal: "लोकसभा सोशल मीडिया समन्वयक", AreaKind: "pc"},
			{Code: "ac-sm-convenor", Title: "AC social media convenor", TitleLocal: "विधानसभा सोशल मीडिया संयोजक", AreaKind: "ac"},
		}
	})
}

// volunteerAt makes a member of the world's drive a volunteer at their AC,
// in langs, with handles (platform → normal form).
func (w *consoleWorld) volunteerAt(personID int64, ac string, langs []string, hs []store.Handle) {
	w.t.Helper()
	ctx := context.Background()
	area, err := w.db.GetArea(ctx, ac)
	if err != nil {
		w.t.Fatal(err)
	}
	err = w.db.Update(ctx, func(tx *store.Tx) error {
		part, err := store.FindParticipation(ctx, tx, personID, w.driveID)
		if err != nil {
			return err
		}
		day := time.Now().In(time.FixedZone("IST", 19800)).Format(time.DateOnly)
		if _, err := store.StartVolunteering(ctx, tx, store.Volunteer{ParticipationID: part.ID, AreaID: area.ID, Languages: langs,
			Channel: "web"}, day); err != nil {
			return err
		}
		if _, err := store.SetHandles(ctx, tx, personID, hs); err != nil {
			return err
		}
		if ac != "JH-AC-063" {
			return nil
		}
		_, err = store.Appoint(ctx, tx, store.Appointment{DriveID: w.driveID, Post: "ac-sm-convenor", AreaID: area.ID, PersonID: personID,
			ParticipationID: part.ID, AppointedBy: "cli:test"}, day)
		return err
	})
	if err != nil {
		w.t.Fatal(err)
	}
}

// The Volunteers page lists the volunteers working in the asker's areas,
// with their handles (a WhatsApp number masked) and posts, by platform
// and language; a coordinator never sees another AC's volunteers, a
// viewer sees none. The person page shows the volunteering and the posts,
// with the appoint and vacate forms for those who may use them.
func TestConsoleVolunteers(t *testing.T) {
	t.Parallel()
	w := newConsoleWorld(t, 50)
	w.withPosts()
	w.volunteerAt(w.ranchi, "JH-AC-063", []string{"hi", "sat"},
		[]store.Handle{{Platform: "instagram", Handle: "sunita.devi"}, {Platform: "whatsapp", Handle: ranchiPhone}})
	w.volunteerAt(w.dhanbad, "JH-AC-040", []string{"en"}, []store.Handle{{Platform: "facebook", Handle: "ramesh.kumar.40"}})
	maskedWA := "98xxxxxx11" // "+" is written &#43;

	coord := w.staffClient("+919876500001", "Asha Kumari", access.Coordinator, "JH-AC-063")
	body := w.want(coord, "/console/volunteers?lang=en", 200, "सुनीता देवी", "sunita.devi", maskedWA, "AC social media convenor",
		"Hindi, Santali", `href="/console/people/`+fmt.Sprint(w.ranchi)+`"`, `href="/console/volunteers"`)
	for _, never := range []string{"Ramesh Kumar", "ramesh.kumar.40", "9876511111", "9876522222"} {
		if strings.Contains(body, never) {
			t.Errorf("the JH-AC-063 coordinator's list shows %q", never)
		}
	}
	w.want(coord, "/console/volunteers?lang=en&area=JH-AC-040", 403)
	w.want(coord, "/console/volunteers?lang=hi", 200, "कार्यकर्ता", "विधानसभा सोशल मीडिया संयोजक", "हिंदी, संथाली")

	admin := w.staffClient("+919876500002", "Admin One", access.Admin, "JH")
	for _, tc := range []struct {
		query     string
		has, hasn string
	}{
		{"", "Ramesh Kumar", ""},
		{"&area=JH-AC-040", "ramesh.kumar.40", "सुनीता देवी"},
		{"&platform=facebook", "Ramesh Kumar", "सुनीता देवी"},
		{"&platform=instagram", "सुनीता देवी", "Ramesh Kumar"},
		{"&language=sat", "सुनीता देवी", "Ramesh Kumar"},
		{"&language=en&platform=facebook", "Ramesh Kumar", "सुनीता देवी"},
		{"&language=bn", "No volunteers here match.", "Ramesh Kumar"},
	} {
		body := w.want(admin, "/console/volunteers?lang=en&drive=jh-sms"+tc.query, 200, tc.has)
		if tc.hasn != "" && strings.Contains(body, tc.hasn) {
			t.Errorf("%s shows %q", tc.query, tc.hasn)
		}
	}
	w.want(admin, "/console/volunteers?lang=en&language=xx", 422, "cannot be shown")
	w.want(admin, "/console/volunteers?lang=en&drive=nosuch", 404)

	viewer := w.staffClient("+919876500003", "Viewer One", access.Viewer, "JH")
	if body := w.want(viewer, "/console/volunteers?lang=en", 403); strings.Contains(body, "sunita.devi") {
		t.Error("a viewer is shown a handle")
	}

	// The person page: volunteering, handles, the post held, and the forms.
	page := w.want(coord, fmt.Sprintf("/console/people/%d?lang=en", w.ranchi), 200, "Volunteering", "Hindi, Santali", "sunita.devi",
		maskedWA, "AC social media convenor", "held now", "cli:test", `action="/console/posts/appoint"`, `action="/console/posts/vacate"`,
		`name="appointment"`, `<option value="JH-AC-063" selected>`, `value="pc-sm-coordinator"`)
	if strings.Contains(page, "9876511111") {
		t.Error("the person page shows the WhatsApp handle whole")
	}
	if strings.Contains(page, `value="JH-PC-08"`) {
		t.Error("an AC's coordinator is offered to appoint at the PC, outside their scope")
	}
	w.want(admin, fmt.Sprintf("/console/people/%d?lang=hi", w.ranchi), 200, `<option value="JH-PC-08">`, "पद पर नियुक्त करें", "पद ख़ाली करें")
	w.want(admin, fmt.Sprintf("/console/people/%d?lang=en", w.dhanbad), 200, "ramesh.kumar.40", "No posts held")
}
