package web

import (
	"strings"
	"testing"
)

// Only a path on this site is a place to go after signing in: nothing a
// browser would take for another host.
func TestSafeNext(t *testing.T) {
	for next, want := range map[string]bool{
		"/console":                     true,
		"/console/people?q=x":          true,
		"/me?lang=hi":                  true,
		"/console/people/42#audit":     true,
		"":                             false,
		"console":                      false,
		"//evil":                       false,
		"//evil.example/console":       false,
		"/\\evil":                      false,
		"/\\/evil":                     false,
		"https://evil":                 false,
		"http://127.0.0.1/console":     false,
		"javascript:alert(1)":          false,
		"/console\r\nSet-Cookie:x":     false,
		"/console\tx":                  false,
		"/%0d%0aevil":                  true,  // escaped: a path, not a header
		"/" + strings.Repeat("a", 600): false, // longer than any page of ours
	} {
		if got := safeNext(next); got != want {
			t.Errorf("safeNext(%q) = %v, want %v", next, got, want)
		}
	}
}
