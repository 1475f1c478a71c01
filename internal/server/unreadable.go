package server

import (
	"net/http"

	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/respond"
	"github.com/jodo-org/jodo/internal/store"
)

// refuseUnreadable answers 400 to a request whose path or query, once
// decoded, holds a NUL or bytes that are not UTF-8. No real client sends
// them, and PostgreSQL refuses both in text: let through, they would end
// as a 500 wherever they reach a query (an area code, a drive's slug, a
// link's token). Posted forms are checked by the pages (web.Routes);
// webhook bodies by their handlers.
func (s *Server) refuseUnreadable(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !store.Storable(r.URL.Path) || !store.StorableQuery(r.URL.RawQuery) {
			respond.Error(w, r, s.log, apperr.New(apperr.Invalid,
				"This address holds characters that cannot be read. इस पते में ऐसे अक्षर हैं जो पढ़े नहीं जा सकते।"))
			return
		}
		next.ServeHTTP(w, r)
	})
}
