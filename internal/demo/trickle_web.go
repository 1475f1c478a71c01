package demo

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
)

var (
	joinLinkPattern = regexp.MustCompile(`https?://\S+/j/[0-9a-z]+`)
	acOption        = regexp.MustCompile(`<option value="(JH-AC-[0-9]+)"`)
)

// registerByWeb gives a missed call, waits for the follow-up SMS and
// registers through its link as a browser would: it opens the form, picks
// an AC the form offers and posts it from the page's origin.
func (t *Trickle) registerByWeb(ctx context.Context, number string) error {
	before := len(t.Live.SMS.Texts(number))
	if err := t.Live.Call(ctx, number); err != nil {
		return err
	}
	var link string
	err := wait(ctx, func() bool {
		for _, m := range t.Live.SMS.Texts(number)[before:] {
			if link = joinLinkPattern.FindString(m.Body); link != "" {
				return true
			}
		}
		return false
	})
	if err != nil {
		return fmt.Errorf("no SMS with a link: %w", err)
	}
	jar, _ := cookiejar.New(nil)
	browser := &http.Client{Jar: jar, Timeout: client.Timeout}
	lang := []string{"hi", "en"}[rand.IntN(2)]
	form, err := fetch(ctx, browser, http.MethodGet, link+"?lang="+lang, nil)
	if err != nil {
		return err
	}
	acs := acOption.FindAllStringSubmatch(form, -1)
	if len(acs) == 0 {
		return errors.New("the join form offers no AC")
	}
	v := url.Values{"lang": {lang}, "consent_membership": {"yes"}, "age18": {"yes"},
		"name": {trickleNames[rand.IntN(len(trickleNames))]}, "ac": {acs[rand.IntN(len(acs))][1]}}
	if rand.IntN(2) == 0 {
		v.Set("consent_sms", "yes")
	}
	page, err := fetch(ctx, browser, http.MethodPost, link, v)
	if err == nil && strings.Contains(page, `name="booth_offered"`) { // the AC has booths: offered, and optional
		v.Set("booth_offered", "1")
		page, err = fetch(ctx, browser, http.MethodPost, link, v)
	}
	if err == nil && !strings.Contains(page, `data-page="joined"`) {
		err = errors.New("the form did not lead to the membership page")
	}
	return err
}

// fetch is a browser's GET or form POST, answered 200.
func fetch(ctx context.Context, c *http.Client, method, u string, form url.Values) (string, error) {
	req, err := http.NewRequestWithContext(ctx, method, u, strings.NewReader(form.Encode()))
	if err != nil {
		return "", err
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if p, err := url.Parse(u); err == nil {
			req.Header.Set("Origin", p.Scheme+"://"+p.Host)
		}
	}
	resp, err := c.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err == nil && resp.StatusCode != http.StatusOK {
		err = fmt.Errorf("%s %s: HTTP %d", method, req.URL.Path, resp.StatusCode)
	}
	return string(b), err
}
