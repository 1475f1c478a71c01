// Package drivetest loads the shipped Jharkhand geography and drive files
// into a test database, as `jodo import areas builtin:jharkhand` and
// `jodo drive apply` would.
package drivetest

import (
	"context"
	"testing"

	"github.com/jodo-org/jodo/internal/access"

	"github.com/jodo-org/jodo/internal/drive"
	"github.com/jodo-org/jodo/internal/geo"
	"github.com/jodo-org/jodo/internal/store"
)

// Load imports Jharkhand and the extra areas (booths, say) into db, applies
// each drive file, and returns the drives by slug.
func Load(tb testing.TB, db *store.DB, extra []geo.Area, files ...string) map[string]store.Drive {
	tb.Helper()
	ctx := context.Background()
	areas, err := geo.Jharkhand()
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := db.ImportAreas(ctx, geo.Importer(append(areas, extra...))); err != nil {
		tb.Fatal(err)
	}
	drives := map[string]store.Drive{}
	for _, file := range files {
		f, err := drive.Parse([]byte(file))
		if err != nil {
			tb.Fatal(err)
		}
		if _, err := drive.Apply(ctx, db, f, false, access.Actor{Label: "test"}); err != nil {
			tb.Fatal(err)
		}
		if drives[f.Slug], err = db.DriveBySlug(ctx, f.Slug); err != nil {
			tb.Fatal(err)
		}
	}
	return drives
}

// Reference is the reference drive (DESIGN.md §1): 12 Feb – 13 Mar 2026,
// 30 days, over Jharkhand, 5 lakh members shared equally by its ACs, and
// 1,000 volunteers and 100 office bearers in each PC.
const Reference = `{
  "version": 1, "slug": "jh-warriors", "name": "Social media warriors — Jharkhand",
  "starts_on": "2026-02-12", "ends_on": "2026-03-13", "timezone": "Asia/Kolkata", "root_area": "JH",
  "channels": [{"kind": "missed_call", "number": "1800 000 0000"}, {"kind": "whatsapp", "number": "+91 70000 00000"}],
  "targets": ["state JH: 500000 members", "each ac: share members equally", "each pc: 1000 volunteers",
    "each pc: 100 office_bearers", "groups: 10 per volunteer target"],
  "posts": [
    {"code": "pc-sm-coordinator", "title": "PC social media coordinator", "title_local": "लोकसभा सोशल मीडिया समन्वयक", "area_kind": "pc"},
    {"code": "ac-sm-convenor", "title": "AC social media convenor", "title_local": "विधानसभा सोशल मीडिया संयोजक", "area_kind": "ac"},
    {"code": "booth-digital-volunteer", "title": "Booth digital volunteer", "title_local": "बूथ डिजिटल कार्यकर्ता", "area_kind": "booth", "many": true}
  ]
}`
