package graph

import (
	"net/http"
	"time"

	"github.com/jodo-org/jodo/internal/sendhttp"
)

// exchange is one call to Graph (sendhttp.Exchange).
type exchange = sendhttp.Exchange

// do sends req once (sendhttp.Do).
func do(client *http.Client, req *http.Request) exchange { return sendhttp.Do(client, req) }

// retryAfter reads Retry-After. Graph does not document the header; a
// proxy in front of it may send one.
func retryAfter(h http.Header) time.Duration {
	return sendhttp.RetryAfter(h.Get("Retry-After"), time.Now())
}
