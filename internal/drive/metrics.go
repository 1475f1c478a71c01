package drive

import "strings"

// Metrics are the counts a drive tracks and can set targets for, in the order
// dashboards show them.
var Metrics = []string{"leads", "members", "verified", "volunteers", "office_bearers", "groups", "active"}

// singular is how a metric reads after "1" or "per": rules are written by
// people, and "10 per volunteer target" is what they write.
var singular = map[string]string{
	"leads":          "lead",
	"members":        "member",
	"verified":       "verified",
	"volunteers":     "volunteer",
	"office_bearers": "office_bearer",
	"groups":         "group",
	"active":         "active",
}

// metricName accepts a metric in either number and any case and gives its
// canonical (plural) name, or "" if it is not a metric.
func metricName(word string) string {
	w := strings.ToLower(word)
	for plural, one := range singular {
		if w == plural || w == one {
			return plural
		}
	}
	return ""
}

// metricNoun is the metric as it reads after the number n.
func metricNoun(metric string, n int64) string {
	if n == 1 {
		return singular[metric]
	}
	return metric
}
