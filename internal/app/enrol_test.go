package app_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/jodo-org/jodo/internal/sms/smstest"
	"github.com/jodo-org/jodo/internal/store"
	"github.com/jodo-org/jodo/internal/store/storetest"
)

// newEnrolWorld is newBotWorld with the enrolment code's templates set,
// so that volunteers may enrol members.
func newEnrolWorld(t *testing.T) *botWorld {
	return newBotWorld(t, "JODO_SMS_TEMPLATE_ENROL_CODE_EN", "1107000000000000301", "JODO_SMS_TEMPLATE_ENROL_CODE_HI", "1107000000000000302")
}

var enrolCode = regexp.MustCompile(`^(\d{6}) (?:is your Jodo code|आपका जोड़ो कोड है)`)

// enrolSMS waits for the n-th SMS the gateway received and returns it,
// with its code.
func (w *botWorld) enrolSMS(n int) (smstest.ReceivedSMS, string) {
	w.t.Helper()
	smsWait(w.t, "the enrolment code", func() bool { return len(w.gw.Received()) >= n })
	m := w.gw.Received()[n-1]
	c := enrolCode.FindStringSubmatch(m.Body)
	if c == nil {
		w.t.Fatalf("no enrolment code in %q", m.Body)
	}
	return m, c[1]
}

var enrolmentID = regexp.MustCompile(`name="enrolment" value="(\d+)"`)

// participationOf is the participation in jh-sms of the person with phone.
func participationOf(t *testing.T, db *store.DB, phone string) store.Participation {
	t.Helper()
	ctx := context.Background()
	var p store.Participation
	err := db.View(ctx, func(tx *store.Tx) error {
		id, err := store.FindByContact(ctx, tx, store.ContactPhone, phone)
		if err != nil {
			return err
		}
		d, err := db.DriveBySlug(ctx, "jh-sms")
		if err != nil {
			return err
		}
		p, err = store.FindParticipation(ctx, tx, id, d.ID)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// A volunteer enrols a member at their door: the member's phone gets an
// SMS naming the volunteer and the drive with a code; a wrong code is
// refused with the form kept; the right one makes them a member (+1
// members and verified at their AC, once) enrolled by the volunteer
// (registered_by), referred by nobody, and the volunteer active. A member
// already, the volunteer's own number, a non-volunteer, too many codes to
// one number, too many wrong codes and an expired code are refused, in
// Hindi too. Erasing the volunteer clears them as the enroller; the
// member stays.
func TestEnrolAtTheDoor(t *testing.T) {
	t.Parallel()
	w := newEnrolWorld(t)
	ravi := w.person("919812300071")
	ravi.joinInEnglish(t, false)
	c := w.signInOnMe("+91 98123 00071")
	if me := w.getWith(c, "/me?lang=en", http.StatusOK); strings.Contains(me, `id="enrol-jh-sms"`) {
		t.Error("/me offers enrolling to a member who does not volunteer")
	}
	if page := w.form(c, "/me/enrol", url.Values{"lang": {"en"}, "drive": {"jh-sms"}, "phone": {"98123 00079"}}, http.StatusForbidden); !strings.Contains(page, "Only a volunteer of this drive") {
		t.Errorf("a member who does not volunteer enrols: %.500s", page)
	}
	w.form(c, "/me/volunteer", volunteerForm("en"), http.StatusOK)
	if me := w.getWith(c, "/me?lang=en", http.StatusOK); !strings.Contains(me, `href="/me/enrol?drive=jh-sms&lang=en" id="enrol-jh-sms"`) {
		t.Errorf("/me of a volunteer offers no enrolment: %.2000s", me)
	}
	w.getWith(c, "/me/enrol?drive=jh-sms&lang=hi", http.StatusOK) // the form in Hindi
	if page := w.getWith(c, "/me/enrol?drive=jh-sms&lang=hi", http.StatusOK); !strings.Contains(page, "किसी को जोड़ें") || !strings.Contains(page, `id="enrol-form"`) {
		t.Errorf("the Hindi form: %.1000s", page)
	}
	if page := w.getWith(c, "/enrol/notice?lang=hi", http.StatusOK); !strings.Contains(page, "कोड देना ही सदस्यता के लिए आपकी सहमति है") || !strings.Contains(page, "sms-enrol-2026-12") {
		t.Errorf("the enrolment notice in Hindi: %.1000s", page)
	}
	before063 := storetest.CountsAt(t, w.db, "JH-AC-063")
	before064 := storetest.CountsAt(t, w.db, "JH-AC-064")

	// Sunita's number, name and AC; the SMS goes to her phone.
	sunita := url.Values{"lang": {"en"}, "drive": {"jh-sms"}, "phone": {"98123 00079"}, "name": {"Sunita Devi"}, "ac": {"JH-AC-063"}}
	sent := len(w.gw.Received())
	page := w.form(c, "/me/enrol", sunita, http.StatusOK)
	id := enrolmentID.FindStringSubmatch(page)
	if id == nil || !strings.Contains(page, `id="enrol-code-form"`) || !strings.Contains(page, "98xxxxxx79") {
		t.Fatalf("the code step: %.1500s", page)
	}
	sms, code := w.enrolSMS(sent + 1)
	if sms.To != "+919812300079" || !strings.Contains(sms.Body, "Ravi wants to register you as a member of Sadasyata") ||
		!strings.Contains(sms.Body, w.base+"/enrol/notice") ||
		sms.TemplateID != "1107000000000000301" {
		t.Errorf("the enrolment SMS: to %s, template %s: %q", sms.To, sms.TemplateID, sms.Body)
	}
	confirm := url.Values{"lang": {"en"}, "drive": {"jh-sms"}, "enrolment": {id[1]}, "phone": {"98123 00079"}, "name": {"Sunita Devi"}, "ac": {"JH-AC-063"}}
	wrong := "111111"
	if code == wrong {
		wrong = "222222"
	}
	confirm.Set("code", wrong)
	page = w.form(c, "/me/enrol/confirm", confirm, http.StatusUnprocessableEntity)
	if !strings.Contains(page, `id="err-code"`) || !strings.Contains(page, `name="name" value="Sunita Devi"`) || !strings.Contains(page, `name="enrolment" value="`+id[1]+`"`) {
		t.Errorf("a wrong code: %.1500s", page)
	}
	checkCounts(t, w.db, "JH-AC-063", map[string]int64{"members": before063["members"]})

	confirm.Set("code", code)
	if page := w.form(c, "/me/enrol/confirm", confirm, http.StatusOK); !strings.Contains(page, `id="enrolled"`) {
		t.Errorf("the right code: %.1500s", page)
	}
	checkCounts(t, w.db, "JH-AC-063", map[string]int64{"members": before063["members"] + 1, "verified": before063["verified"] + 1})
	checkCounts(t, w.db, "JH-AC-064", map[string]int64{"active": before064["active"] + 1, "members": before064["members"]})
	checkCountsByChannel(t, w.db, "enrol", map[string]int64{"members": 1, "verified": 1})
	volunteerPart := participationOf(t, w.db, "+919812300071")
	part := participationOf(t, w.db, "+919812300079")
	if part.RegisteredBy != volunteerPart.PersonID || part.ReferredBy != 0 || part.RegisteredAt.IsZero() || part.VerifiedAt.IsZero() || part.Channel != "enrol" {
		t.Errorf("Sunita's participation: %+v (volunteer %d)", part, volunteerPart.PersonID)
	}
	if volunteerPart.ActiveAt.IsZero() {
		t.Error("enrolling did not make the volunteer active")
	}

	// The same code again: used. Counted once.
	if page := w.form(c, "/me/enrol/confirm", confirm, http.StatusUnprocessableEntity); !strings.Contains(page, "expired or was used") {
		t.Errorf("the code again: %.800s", page)
	}
	checkCounts(t, w.db, "JH-AC-063", map[string]int64{"members": before063["members"] + 1})

	// A member already, the volunteer's own number: refused, saying so, no SMS.
	sent = len(w.gw.Received())
	if page := w.form(c, "/me/enrol", sunita, http.StatusConflict); !strings.Contains(page, "already a member of this drive") || !strings.Contains(page, `value="98123 00079"`) {
		t.Errorf("a member again: %.800s", page)
	}
	hi := url.Values{"lang": {"hi"}, "drive": {"jh-sms"}, "phone": {"9812300071"}}
	if page := w.form(c, "/me/enrol", hi, http.StatusUnprocessableEntity); !strings.Contains(page, "यह आपका अपना नंबर है") {
		t.Errorf("the volunteer's own number, in Hindi: %.800s", page)
	}
	if len(w.gw.Received()) != sent {
		t.Error("a refused enrolment sent an SMS")
	}

	// Too many wrong codes lock an enrolment; an expired code is refused.
	asha := url.Values{"lang": {"en"}, "drive": {"jh-sms"}, "phone": {"98123 00078"}}
	page = w.form(c, "/me/enrol", asha, http.StatusOK)
	_, code = w.enrolSMS(sent + 1)
	asha.Set("enrolment", enrolmentID.FindStringSubmatch(page)[1])
	for i := 1; i <= 5; i++ {
		asha.Set("code", strconv.Itoa(100000+i))
		if asha.Get("code") == code {
			asha.Set("code", "999999")
		}
		status := http.StatusUnprocessableEntity
		if i == 5 {
			status = http.StatusTooManyRequests
		}
		w.form(c, "/me/enrol/confirm", asha, status)
	}
	asha.Set("code", code)
	w.form(c, "/me/enrol/confirm", asha, http.StatusUnprocessableEntity) // locked: start again
	asha.Del("code")
	asha.Del("enrolment")
	page = w.form(c, "/me/enrol", asha, http.StatusOK)
	_, code = w.enrolSMS(sent + 2)
	enrolment := enrolmentID.FindStringSubmatch(page)[1]
	n, _ := strconv.ParseInt(enrolment, 10, 64)
	storetest.ExpireEnrolment(t, w.db, n)
	asha.Set("enrolment", enrolment)
	asha.Set("code", code)
	if page := w.form(c, "/me/enrol/confirm", asha, http.StatusUnprocessableEntity); !strings.Contains(page, "expired or was used") {
		t.Errorf("an expired code: %.800s", page)
	}
	asha.Del("code")
	asha.Del("enrolment")
	w.form(c, "/me/enrol", asha, http.StatusOK) // the third code to this number today
	if page := w.form(c, "/me/enrol", asha, http.StatusTooManyRequests); !strings.Contains(page, "as many codes as it may get in a day") {
		t.Errorf("a fourth code to one number in a day: %.800s", page)
	}

	// Ten codes in an hour from one volunteer (four so far): the eleventh is refused.
	for i := 0; i < 6; i++ {
		w.form(c, "/me/enrol", url.Values{"lang": {"en"}, "drive": {"jh-sms"}, "phone": {"98123000" + strconv.Itoa(80+i)}}, http.StatusOK)
	}
	eleventh := url.Values{"lang": {"hi"}, "drive": {"jh-sms"}, "phone": {"9812300090"}}
	if page := w.form(c, "/me/enrol", eleventh, http.StatusTooManyRequests); !strings.Contains(page, "एक घंटे में एक कार्यकर्ता जितने कोड") || !strings.Contains(page, `value="9812300090"`) {
		t.Errorf("the eleventh code in an hour, in Hindi: %.800s", page)
	}

	// Erasing the volunteer: Sunita stays a member, enrolled by nobody.
	w.form(c, "/me/erase?lang=en", url.Values{"confirm": {"yes"}}, http.StatusOK)
	part = participationOf(t, w.db, "+919812300079")
	if part.RegisteredBy != 0 || part.RegisteredAt.IsZero() {
		t.Errorf("Sunita after the volunteer's erasure: %+v", part)
	}
	if left := storetest.NumberLeft(t, w.db, "+919812300071"); len(left) > 0 {
		t.Errorf("the volunteer's number after erasure: %v", left)
	}
}
