package api

import (
	"encoding/json"
	"net/http"
	"regexp"

	"github.com/jodo-org/jodo/internal/access"

	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/respond"
	"github.com/jodo-org/jodo/internal/server"
	"github.com/jodo-org/jodo/internal/store"
)

// Areas are public reference data (the join form's pickers need them), so
// these routes take no token.
func (a *API) areaRoutes(mux *server.Mux) {
	mux.Guard("GET /api/v1/areas", access.Public, http.HandlerFunc(a.listAreas))
	mux.Guard("GET /api/v1/areas/{code}", access.Public, http.HandlerFunc(a.getArea))
}

// maxAreasListed caps a list, so a kind asked for alone (every booth of an
// installation) cannot dump the whole table.
const maxAreasListed = 5000

var kindPattern = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

type areaJSON struct {
	Code        string `json:"code"`
	Kind        string `json:"kind"`
	Number      string `json:"number"`
	NameEN      string `json:"name_en"`
	NameLocal   string `json:"name_local"`
	Reservation string `json:"reservation"`
	Parent      string `json:"parent"`
	District    string `json:"district"`
}

type areaDetailJSON struct {
	areaJSON
	Path     string `json:"path"`
	Children int    `json:"children"`
	Retired  bool   `json:"retired,omitempty"`
}

type areaListJSON struct {
	Areas     []areaJSON `json:"areas"`
	Truncated bool       `json:"truncated,omitempty"`
}

func toAreaJSON(a store.Area) areaJSON {
	local := a.NameLocal
	if local == "" {
		local = a.NameEN
	}
	return areaJSON{Code: a.Code, Kind: a.Kind, Number: a.Number, NameEN: a.NameEN, NameLocal: local,
		Reservation: a.Reservation, Parent: a.Parent, District: a.District}
}

// listAreas answers GET /api/v1/areas?kind=ac&parent=JH-D-RANCHI. A
// district as parent stands for its ACs. Retired areas are not listed.
func (a *API) listAreas(w http.ResponseWriter, r *http.Request) {
	f := store.AreaFilter{Kind: r.URL.Query().Get("kind"), Parent: r.URL.Query().Get("parent"), Limit: maxAreasListed + 1}
	if err := readable(f.Kind, f.Parent); err != nil {
		respond.Error(w, r, a.log, err)
		return
	}
	switch {
	case f.Kind == "" && f.Parent == "":
		respond.Error(w, r, a.log, apperr.New(apperr.Invalid, "Give kind (e.g. ?kind=pc), parent (e.g. ?parent=JH-PC-08) or both (?kind=ac&parent=JH-D-RANCHI)."))
		return
	case f.Kind != "" && !kindPattern.MatchString(f.Kind):
		respond.Error(w, r, a.log, apperr.New(apperr.Invalid, "kind %q is not valid: use lowercase letters, digits and '_', e.g. pc, ac, booth, district.", f.Kind))
		return
	}
	areas, err := a.db.ListAreas(r.Context(), f)
	if err != nil {
		respond.Error(w, r, a.log, err)
		return
	}
	out := areaListJSON{Areas: make([]areaJSON, 0, min(len(areas), maxAreasListed))}
	if len(areas) > maxAreasListed {
		areas, out.Truncated = areas[:maxAreasListed], true
	}
	for _, area := range areas {
		out.Areas = append(out.Areas, toAreaJSON(area))
	}
	publicJSON(w, out)
}

// getArea answers GET /api/v1/areas/{code}, retired areas included.
func (a *API) getArea(w http.ResponseWriter, r *http.Request) {
	code := r.PathValue("code")
	if err := readable(code); err != nil {
		respond.Error(w, r, a.log, err)
		return
	}
	area, err := a.db.GetArea(r.Context(), code)
	if err != nil {
		respond.Error(w, r, a.log, err)
		return
	}
	publicJSON(w, areaDetailJSON{areaJSON: toAreaJSON(area), Path: area.Path, Children: area.Children, Retired: area.Retired})
}

// publicJSON answers 200 with v, cacheable by anyone for five minutes:
// areas change only when an area file is imported. respond.JSON forbids
// caching, which is right for everything else.
func publicJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=300")
	w.WriteHeader(http.StatusOK)
	json.NewEncoder(w).Encode(v)
}

// readable refuses text PostgreSQL cannot take (a NUL, bytes that are not
// UTF-8) before it reaches the store. The server refuses such requests at
// its edge; the API does not rely on being mounted behind it.
func readable(values ...string) error {
	for _, v := range values {
		if !store.Storable(v) {
			return apperr.New(apperr.Invalid, "The request holds characters that cannot be read (a NUL byte or bytes that are not UTF-8).")
		}
	}
	return nil
}
