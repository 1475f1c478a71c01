package locale

import "net/http"

// Cookie remembers the language a person chose, on the member pages and
// in the console alike.
const Cookie = "jodo_lang"

// Valid reports whether l is a language the pages speak.
func Valid(l string) bool { return l == "hi" || l == "en" }

// Other is the language a page's language link switches to.
func Other(lang string) string {
	if lang == "en" {
		return "hi"
	}
	return "en"
}

// FromRequest is a page's language: ?lang= (remembered in the cookie), a
// posted lang field, the cookie, else fallback when it is valid, else
// Hindi.
func FromRequest(w http.ResponseWriter, r *http.Request, fallback string, secure bool) string {
	if l := r.URL.Query().Get("lang"); Valid(l) {
		http.SetCookie(w, &http.Cookie{Name: Cookie, Value: l, Path: "/", MaxAge: 365 * 24 * 3600,
			HttpOnly: true, Secure: secure, SameSite: http.SameSiteLaxMode})
		return l
	}
	if l := r.PostFormValue("lang"); Valid(l) {
		return l
	}
	if c, err := r.Cookie(Cookie); err == nil && Valid(c.Value) {
		return c.Value
	}
	if Valid(fallback) {
		return fallback
	}
	return "hi"
}
