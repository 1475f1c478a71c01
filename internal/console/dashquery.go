package console

import (
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/jodo-org/jodo/internal/dashboard"
	"github.com/jodo-org/jodo/internal/drive"
)

// dashQuery is what the dashboard's address asks for; every link on the
// page is this with a change, so the view survives a drill-down.
type dashQuery struct {
	Drive, Area, Tree, Metric, Sort string
	Desc                            bool
	Page                            int
}

// mapMetric is the metric the map colours when none is asked for.
const mapMetric = "members"

func readDashQuery(q url.Values) dashQuery {
	d := dashQuery{Drive: q.Get("drive"), Area: strings.TrimSpace(q.Get("area")), Tree: q.Get("tree"),
		Metric: q.Get("metric"), Sort: q.Get("sort"), Desc: q.Get("desc") == "1"}
	d.Page, _ = strconv.Atoi(q.Get("page"))
	if !slices.Contains(drive.Metrics, d.Metric) {
		d.Metric = ""
	}
	return d
}

// request is the board the query asks for in drive slug.
func (q dashQuery) request(slug string) dashboard.Request {
	return dashboard.Request{Slug: slug, Area: q.Area, Tree: q.Tree, Sort: q.Sort, Desc: q.Desc, Page: q.Page}
}

// href is the address of path with q's non-empty fields, in a fixed order.
func (q dashQuery) href(path string) string {
	v := url.Values{}
	for k, s := range map[string]string{"drive": q.Drive, "area": q.Area, "tree": q.Tree, "metric": q.Metric, "sort": q.Sort} {
		if s != "" {
			v.Set(k, s)
		}
	}
	if q.Desc {
		v.Set("desc", "1")
	}
	if q.Page > 1 {
		v.Set("page", strconv.Itoa(q.Page))
	}
	if len(v) == 0 {
		return path
	}
	return path + "?" + v.Encode()
}

// drill is the page of a child: same drive, tree and map metric, the
// child's first page in its own order.
func (q dashQuery) drill(area string) string {
	return dashQuery{Drive: q.Drive, Area: area, Tree: q.Tree, Metric: q.Metric}.href("/console")
}

// at is the page's address on page n of the same view.
func (q dashQuery) at(n int) string {
	q.Page = n
	return q.href("/console")
}
