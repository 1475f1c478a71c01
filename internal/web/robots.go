package web

import (
	"io"
	"net/http"
)

// robotsTxt keeps crawlers off the personal pages (a registration link,
// /me, a card and its verification: each names or identifies a person)
// and off what only machines use. The front page and a drive's join page
// stay open. The pages also say noindex themselves (render), since a
// link shared elsewhere can be indexed without being crawled.
const robotsTxt = `User-agent: *
Disallow: /j/
Disallow: /me
Disallow: /verify/
Disallow: /card/
Disallow: /signin
Disallow: /signout
Disallow: /api/
Disallow: /hooks/
`

func robots(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=86400")
	io.WriteString(w, robotsTxt)
}
