package server

import (
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/respond"
)

// refuseUnreadable answers 400 to a request whose path or query, once
// decoded, holds a NUL or bytes that are not UTF-8. No real client sends
// them, and PostgreSQL refuses both in text: let through, they would end
// as a 500 wherever they reach a query (an area code, a drive's slug, a
// link's token). Posted forms are checked by the pages (web.Routes);
// webhook bodies by their handlers.
func (s *Server) refuseUnreadable(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !readable(r.URL.Path) || !readableValues(r.URL.Query()) {
			respond.Error(w, r, s.log, apperr.New(apperr.Invalid,
				"This address holds characters that cannot be read. इस पते में ऐसे अक्षर हैं जो पढ़े नहीं जा सकते।"))
			return
		}
		next.ServeHTTP(w, r)
	})
}

// readable reports whether s is UTF-8 without a NUL.
func readable(s string) bool {
	return utf8.ValidString(s) && !strings.ContainsRune(s, 0)
}

func readableValues(vs url.Values) bool {
	for k, v := range vs {
		if !readable(k) {
			return false
		}
		for _, s := range v {
			if !readable(s) {
				return false
			}
		}
	}
	return true
}
