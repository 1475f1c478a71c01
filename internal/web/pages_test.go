package web_test

import (
	"context"
	"html"
	"io"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/jodo-org/jodo/internal/links"
	"github.com/jodo-org/jodo/internal/server"
	"github.com/jodo-org/jodo/internal/store"
	"github.com/jodo-org/jodo/internal/web"
)

// signedInWorld is linkWorld's drive and person with sign-in on and the
// person signed in.
func signedInWorld(t *testing.T) (*httptest.Server, links.Link) {
	t.Helper()
	_, link, _, db := linkWorld(t)
	var person int64
	err := db.View(context.Background(), func(tx *store.Tx) (err error) {
		person, err = store.FindByContact(context.Background(), tx, store.ContactPhone, "+919876543210")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	srv := signedInServer(db, person)
	t.Cleanup(srv.Close)
	return srv, link
}

// signedInServer serves the pages of db, sign-in on, with person signed in.
func signedInServer(db *store.DB, person int64) *httptest.Server {
	mux := server.NewMux()
	web.New(web.Deps{DB: db, Links: links.New([]byte("key")), SecretKey: []byte("key"), BaseURL: "https://jodo.example.in",
		Log: slog.New(slog.DiscardHandler), Sessions: signedInAs{person: person}}).Routes(mux)
	return httptest.NewServer(mux)
}

var switchLink = regexp.MustCompile(`href="([^"]*)" hreflang="[a-z]+" id="switch-lang"`)

// The language link of a page that answers a post (a wrong number on the
// code form, a refused correction on /me) opens that page's form in the
// other language, not a 404.
func TestLanguageLinkOfAPostedPageOpens(t *testing.T) {
	srv, _ := signedInWorld(t)
	for path, form := range map[string]url.Values{
		"/signin":         {"lang": {"en"}, "phone": {"12"}},
		"/signin/code":    {"lang": {"en"}, "phone": {"12"}, "code": {"123456"}},
		"/d/jh/join":      {"lang": {"en"}, "phone": {"12"}},
		"/d/jh/join/code": {"lang": {"en"}, "phone": {"12"}, "code": {"123456"}},
		"/me/details":     {"lang": {"en"}, "name": {"S"}, "language": {"en"}, "ac": {"JH-AC-063"}},
	} {
		status, body, _ := post(t, srv, path, form, nil)
		m := switchLink.FindStringSubmatch(body)
		if status != http.StatusUnprocessableEntity || m == nil {
			t.Errorf("POST %s: %d, language link %v", path, status, m)
			continue
		}
		resp, err := http.Get(srv.URL + html.UnescapeString(m[1]))
		if err != nil {
			t.Fatal(err)
		}
		page, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !strings.Contains(string(page), `<html lang="hi"`) {
			t.Errorf("POST %s: its language link %s answers %d", path, m[1], resp.StatusCode)
		}
	}
}

// Search engines may list the public pages (a drive's join page, with a
// description) and are kept off the personal ones by robots.txt, a
// noindex meta and X-Robots-Tag; /favicon.ico is there.
func TestSearchEnginesSeePublicPagesOnly(t *testing.T) {
	srv, link := signedInWorld(t)
	get := func(path string) (*http.Response, string) {
		resp, err := http.Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, string(b)
	}
	resp, robots := get("/robots.txt")
	for _, path := range []string{"/j/", "/me", "/verify/", "/card/"} {
		if resp.StatusCode != http.StatusOK || !strings.Contains(robots, "Disallow: "+path+"\n") {
			t.Errorf("robots.txt (%d) does not disallow %s:\n%s", resp.StatusCode, path, robots)
		}
	}
	if strings.Contains(robots, "Disallow: /d/") || strings.Contains(robots, "Disallow: /\n") {
		t.Errorf("robots.txt keeps crawlers off the public pages:\n%s", robots)
	}
	resp, page := get("/d/jh/join?lang=en")
	if !strings.Contains(page, `<meta name="description" content="Join JH: `) || strings.Contains(page, "noindex") || resp.Header.Get("X-Robots-Tag") != "" {
		t.Errorf("the drive's join page: X-Robots-Tag %q\n%s", resp.Header.Get("X-Robots-Tag"), page)
	}
	for _, path := range []string{"/j/" + link.Token, "/me", "/verify/ABCD-EFGH-JKX", "/signin"} {
		resp, page := get(path)
		if !strings.Contains(page, `<meta name="robots" content="noindex">`) || resp.Header.Get("X-Robots-Tag") != "noindex" || strings.Contains(page, `name="description"`) {
			t.Errorf("GET %s (%d) may be indexed: X-Robots-Tag %q", path, resp.StatusCode, resp.Header.Get("X-Robots-Tag"))
		}
	}
	if resp, icon := get("/favicon.ico"); resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "image/x-icon" || !strings.HasPrefix(icon, "\x00\x00\x01\x00") {
		t.Errorf("/favicon.ico: %d %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
}

// The submit button's white text on its colour passes WCAG AA (4.5:1).
func TestSubmitButtonContrast(t *testing.T) {
	layout, err := os.ReadFile("templates/layout.html")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`\nbutton\{[^}]*background:#([0-9a-f]{6});color:#fff[;}]`).FindSubmatch(layout)
	if m == nil {
		t.Fatal("no button rule with white text in the layout")
	}
	if ratio := 1.05 / (luminance(string(m[1])) + 0.05); ratio < 4.5 {
		t.Errorf("white on #%s is %.2f:1, under 4.5:1", m[1], ratio)
	}
}

// luminance is WCAG 2's relative luminance of a hex colour.
func luminance(hex string) float64 {
	var l float64
	for i, weight := range []float64{0.2126, 0.7152, 0.0722} {
		v, _ := strconv.ParseUint(hex[2*i:2*i+2], 16, 8)
		c := float64(v) / 255
		if c <= 0.03928 {
			c /= 12.92
		} else {
			c = math.Pow((c+0.055)/1.055, 2.4)
		}
		l += weight * c
	}
	return l
}
