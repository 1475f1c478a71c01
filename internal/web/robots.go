package web

import (
	"io"
	"net/http"
	"strings"
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

// favicon answers the address browsers ask for without a page's icon link
// (error pages, JSON): the same icon the pages link to by content hash.
func favicon(w http.ResponseWriter, r *http.Request) {
	f := static[strings.TrimPrefix(staticNames["favicon.ico"], "/static/")]
	w.Header().Set("Content-Type", f.contentType)
	w.Header().Set("Cache-Control", "public, max-age=86400")
	w.Write(f.body)
}
