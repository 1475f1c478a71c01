package web

import (
	"time"

	"github.com/jodo-org/jodo/internal/membership"
)

// CardLinkTTL is how long a card link stays valid.
const CardLinkTTL = membership.CardLinkTTL

func displayNumber(n string) string { return membership.Format(n) }

// cardURL is a fresh signed, expiring link to a member's card image; it
// is relative to JODO_BASE_URL's host when shown on our own pages.
func (h *Web) cardURL(number string) string {
	return membership.CardURL(h.baseURL, h.secretKey, number, time.Now().Add(CardLinkTTL).Truncate(time.Second))
}
