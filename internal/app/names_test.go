package app_test

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/jodo-org/jodo/internal/store"
	"github.com/jodo-org/jodo/internal/store/storetest"
)

// A name hiding a right-to-left override or a zero-width space is refused
// on the web form with a message in the person's language, and the form
// comes back; typed plainly, it is taken.
func TestWebFormRefusesHiddenCharactersInNames(t *testing.T) {
	t.Parallel()
	dbURL, gw, base := smsWorld(t, "hi")
	link := followupLink(t, base, gw, "names-1", "+919123456782")
	post := func(name string) (int, string) { return postName(t, link, "hi", name) }
	for _, name := range []string{"Ravi\u202EramuK", "Ra\u200Bvi Kumar", "\uFEFFRavi Kumar", "Ravi\u2066 Kumar", "Ra\u200Dvi Kumar"} {
		code, page := post(name)
		if code != http.StatusUnprocessableEntity || !strings.Contains(page, `id="err-name"`) || !strings.Contains(page, "छिपे अक्षर") {
			t.Errorf("name %+q: %d, want 422 with the hidden-characters message:\n%.400s", name, code, page)
		}
	}
	if code, page := post("क्\u200Dषितिज ओरांव"); code != http.StatusOK || !strings.Contains(page, `id="number"`) {
		t.Fatalf("a Devanagari name with a ZWJ in a conjunct: %d\n%.400s", code, page)
	}
	checkMember(t, storetest.Attach(t, dbURL), "+919123456782", "क्\u200Dषितिज ओरांव", "hi", []string{store.PurposeMembership})
}

// postName submits the join form at link with name and the rest valid.
func postName(t *testing.T, link, lang, name string) (int, string) {
	t.Helper()
	form := url.Values{"consent_membership": {"yes"}, "age18": {"yes"}, "name": {name}, "ac": {"JH-AC-063"}, "lang": {lang}}
	resp, err := http.PostForm(link, form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// atNameStep is a new person in the bot, in English, asked their name.
func atNameStep(t *testing.T, waID string) *person {
	t.Helper()
	p := newBotWorld(t).person(waID)
	one(t, "first message", p.say("Hi"), "lang:en")
	one(t, "language", p.tap("lang:en", "English", false), "Do you agree")
	one(t, "consent", p.say("yes"), "optin:yes")
	one(t, "news", p.tap("optin:no", "No, thanks", false), "18")
	one(t, "age", p.tap("age:yes", "Yes, 18+", false), "name")
	return p
}

// The bot's name step refuses the same names, in the person's language,
// and asks again.
func TestBotRefusesHiddenCharactersInNames(t *testing.T) {
	t.Parallel()
	p := atNameStep(t, "919812300031")
	one(t, "name with an override", p.say("Ravi\u202EramuK"), "invisible characters")
	one(t, "name with a zero-width space", p.say("Ra\u200Bvi Kumar"), "invisible characters")
	one(t, "name typed plainly", p.say("Ravi Kumar"), "district")
}

// A name may be names.MaxLen (80) characters long on every channel, and
// no longer: the web form and the bot take 80 and refuse 81, each saying
// the same limit.
func TestNameLimitIsTheSameOnWebAndBot(t *testing.T) {
	t.Parallel()
	long := "Ravi " + strings.Repeat("k", 75)
	if n := len([]rune(long)); n != 80 {
		t.Fatalf("test name is %d characters", n)
	}
	t.Run("web", func(t *testing.T) {
		dbURL, gw, base := smsWorld(t, "en")
		link := followupLink(t, base, gw, "names-2", "+919123456783")
		post := func(name string) (int, string) { return postName(t, link, "en", name) }
		if code, page := post(long + "k"); code != http.StatusUnprocessableEntity || !strings.Contains(page, "2 to 80") {
			t.Errorf("81 characters: %d, want 422 naming the limit:\n%.400s", code, page)
		}
		if code, page := post(long); code != http.StatusOK || !strings.Contains(page, `id="number"`) {
			t.Fatalf("80 characters: %d\n%.400s", code, page)
		}
		checkMember(t, storetest.Attach(t, dbURL), "+919123456783", long, "en", []string{store.PurposeMembership})
	})
	t.Run("bot", func(t *testing.T) {
		p := atNameStep(t, "919812300032")
		one(t, "81 characters", p.say(long+"k"), "2 to 80")
		one(t, "80 characters", p.say(long), "district")
	})
}
