// Package respond writes HTTP responses: JSON for the API, plain pages
// elsewhere, and errors translated from apperr codes in one place.
package respond

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"html/template"
	"log/slog"
	"net/http"
	"strings"

	"github.com/jodo-org/jodo/internal/apperr"
)

var statusOf = map[string]int{
	apperr.Invalid:      http.StatusBadRequest,
	apperr.NotFound:     http.StatusNotFound,
	apperr.Conflict:     http.StatusConflict,
	apperr.Unauthorized: http.StatusUnauthorized,
	apperr.Forbidden:    http.StatusForbidden,
	apperr.RateLimited:  http.StatusTooManyRequests,
	apperr.Internal:     http.StatusInternalServerError,
}

// Status is the HTTP status that answers err.
func Status(err error) int { return statusOf[apperr.CodeOf(err)] }

// JSON writes v as JSON with status.
func JSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

// Error answers with err's code: {"error":{"code","message"}} under /api/,
// a plain page elsewhere. Internal errors are logged once, with the
// request id, and never shown.
func Error(w http.ResponseWriter, r *http.Request, log *slog.Logger, err error) {
	code := apperr.CodeOf(err)
	status := Status(err)
	if code == apperr.Internal {
		log.ErrorContext(r.Context(), "request failed", "route", r.Pattern, "err", err)
	}
	msg := apperr.MessageOf(err)
	if strings.HasPrefix(r.URL.Path, "/api/") {
		JSON(w, status, map[string]any{"error": map[string]string{"code": code, "message": msg}})
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Content-Security-Policy", errorPageCSP)
	w.WriteHeader(status)
	errorPage.Execute(w, map[string]any{"Status": status, "Title": http.StatusText(status), "Message": msg})
}

const errorStyle = `body{font-family:system-ui,"Noto Sans Devanagari",sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;color:#222}`

// errorPageCSP allows the error page its one style, by hash, and nothing
// else.
var errorPageCSP = func() string {
	sum := sha256.Sum256([]byte(errorStyle))
	return "default-src 'none'; style-src 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
}()

var errorPage = template.Must(template.New("error").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>{{.Title}} · Jodo</title>
<style>` + errorStyle + `</style>
</head><body><h1>{{.Title}}</h1><p>{{.Message}}</p><p><a href="/">Jodo</a></p></body></html>
`))
