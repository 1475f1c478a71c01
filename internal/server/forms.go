package server

import (
	"net/http"

	"github.com/jodo-org/jodo/internal/store"
)

// PostedForms wraps the handlers of posted forms: a request a browser says
// comes from another site is refused (http.CrossOriginProtection), the
// body is bounded to limit bytes, and a form that is not UTF-8 or holds a
// NUL (which the database would refuse) is answered by unreadable, a page
// in the person's language, before the handler runs.
func PostedForms(limit int64, unreadable http.HandlerFunc) func(http.Handler) http.Handler {
	csrf := http.NewCrossOriginProtection()
	return func(h http.Handler) http.Handler {
		return csrf.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			r.Body = http.MaxBytesReader(w, r.Body, limit)
			if r.ParseForm() == nil && !store.StorableValues(r.PostForm) {
				unreadable(w, r)
				return
			}
			h.ServeHTTP(w, r)
		}))
	}
}
