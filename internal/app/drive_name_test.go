package app_test

import (
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/jodo-org/jodo/internal/membership"
)

const driveNameHI = "सदस्यता अभियान — झारखंड"

// withNameLocal gives the bot world's drive a Hindi name (a new version
// of its file, as an admin would apply it).
func withNameLocal(t *testing.T, w *botWorld) {
	t.Helper()
	exported := mustJodo(t, w.dbURL, "drive", "export", "jh-sms")
	edited := strings.Replace(strings.Replace(exported, `"version": 1,`, `"version": 2,`, 1),
		`"name": "Sadasyata — Jharkhand",`, `"name": "Sadasyata — Jharkhand", "name_local": "`+driveNameHI+`",`, 1)
	if edited == exported {
		t.Fatalf("the export changed shape:\n%s", exported)
	}
	file := filepath.Join(t.TempDir(), "drive.json")
	if err := os.WriteFile(file, []byte(edited), 0o600); err != nil {
		t.Fatal(err)
	}
	mustJodo(t, w.dbURL, "drive", "apply", file)
}

// pageHas fetches url with c and checks that the page (from the first
// from on, when given) has want and lacks unwanted.
func pageHas(t *testing.T, c *http.Client, url, from, want, unwanted string) {
	t.Helper()
	resp, err := c.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	_, body, _ := strings.Cut(string(b), from)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, want) || strings.Contains(body, unwanted) {
		t.Errorf("%s: status %d, want %q and not %q in\n%s", url, resp.StatusCode, want, unwanted, body)
	}
}

// A drive's name_local is its name on Hindi pages (join, /verify, /me) and
// in Hindi messages; English ones keep the name.
func TestDriveNameInHindi(t *testing.T) {
	t.Parallel()
	w := newBotWorld(t)
	withNameLocal(t, w)
	pageHas(t, http.DefaultClient, w.base+"/d/jh-sms/join?lang=hi", "", driveNameHI, "Sadasyata")
	pageHas(t, http.DefaultClient, w.base+"/d/jh-sms/join?lang=en", "", "Sadasyata — Jharkhand", driveNameHI)

	p := w.person("919812300051")
	greet := one(t, "first message", p.say("नमस्ते"), "lang:hi")
	hi, en, _ := strings.Cut(greet.Text, "\n\n")
	if !strings.Contains(hi, driveNameHI) || !strings.Contains(en, "Sadasyata — Jharkhand") {
		t.Errorf("the greeting names the drive in each language's own form: %q", greet.Text)
	}
	p.tap("lang:hi", "हिंदी", false)
	p.tap("consent:yes", "मैं सहमत हूँ", false)
	p.tap("optin:no", "नहीं, धन्यवाद", false)
	p.tap("age:yes", "हाँ", false)
	p.say("सुनीता देवी")
	welcome := one(t, "welcome", p.say("Kanke"), driveNameHI)
	number := memberNumber.FindString(welcome.Text)
	if number == "" || strings.Contains(welcome.Text, "Sadasyata") {
		t.Fatalf("welcome: %q", welcome.Text)
	}
	// The card (in the member's Hindi) names the drive in Hindi: its fonts
	// must draw it.
	card := regexp.MustCompile(`https?://\S+/card/\S+`).FindString(welcome.Text)
	if resp, err := http.Get(card); err != nil || resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "image/png" {
		t.Errorf("card %s: %v %v", card, resp, err)
	} else {
		resp.Body.Close()
	}
	verify := membership.VerifyURL(w.base, []byte(processSecretKey), strings.ReplaceAll(number, "-", ""))
	pageHas(t, http.DefaultClient, verify+"&lang=hi", "", driveNameHI, "Sadasyata")
	pageHas(t, http.DefaultClient, verify+"&lang=en", "", "Sadasyata — Jharkhand", driveNameHI)

	c := w.signInWithCode("/signin", "+919812300051")
	w.form(c, "/signin/code?lang=en", url.Values{"phone": {"+919812300051"}, "code": {w.lastCode()}}, http.StatusOK)
	// The drives list; the message history below it quotes the greeting,
	// which names the drive both ways.
	drives := `<ul id="drives">`
	pageHas(t, c, w.base+"/me?lang=hi", drives, driveNameHI+":", "Sadasyata — Jharkhand:")
	pageHas(t, c, w.base+"/me?lang=en", drives, "Sadasyata — Jharkhand:", driveNameHI+":")
}
