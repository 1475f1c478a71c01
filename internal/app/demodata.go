package app

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jodo-org/jodo/internal/access"
	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/drive"
	"github.com/jodo-org/jodo/internal/geo"
	"github.com/jodo-org/jodo/internal/ist"
	"github.com/jodo-org/jodo/internal/staff"
	"github.com/jodo-org/jodo/internal/store"
)

const demoSlug = "jh-warriors"

// demoWhatsAppNumber is the demo drive's WhatsApp number, E.164.
const demoWhatsAppNumber = "+917000000000"

// loadDemo loads Jharkhand and the reference drive, once: a restarted demo
// keeps its data, its drive window and its counts.
func loadDemo(ctx context.Context, db *store.DB) error {
	areas, err := geo.Jharkhand()
	if err != nil {
		return err
	}
	if _, err := db.ImportAreas(ctx, geo.Importer(areas)); err != nil {
		return fmt.Errorf("demo: load Jharkhand: %w", err)
	}
	_, err = db.DriveBySlug(ctx, demoSlug)
	if apperr.CodeOf(err) != apperr.NotFound {
		return err
	}
	f, err := demoDrive(db.Now())
	if err != nil {
		return err
	}
	actor, err := cliActor(ctx, db)
	if err != nil {
		return err
	}
	if _, err := drive.Apply(ctx, db, f, false, actor); err != nil {
		return fmt.Errorf("demo: drive: %w", err)
	}
	return nil
}

// demoDrive is the reference case with placeholder numbers: a 30-day
// window that started 10 days ago.
func demoDrive(now time.Time) (*drive.File, error) {
	start := now.In(ist.Zone).AddDate(0, 0, -10)
	raw, err := json.Marshal(drive.File{
		Version:  1,
		Slug:     demoSlug,
		Name:     "Social media warriors — Jharkhand",
		SMSName:  "JH Warriors",
		Language: "hi",
		StartsOn: start.Format(time.DateOnly),
		EndsOn:   start.AddDate(0, 0, 29).Format(time.DateOnly),
		Timezone: "Asia/Kolkata",
		RootArea: "JH",
		Channels: []drive.Channel{
			{Kind: "missed_call", Number: "1800 000 0000"},
			{Kind: "whatsapp", Number: demoWhatsAppNumber},
		},
		Targets: []string{
			"state JH: 500000 members",
			"each ac: share members equally",
			"each pc: 1000 volunteers",
			"each pc: 100 office_bearers",
			"groups: 10 per volunteer target",
		},
		Posts: []drive.Post{
			{Code: "pc-sm-coordinator", Title: "PC social media coordinator", TitleLocal: "लोकसभा सोशल मीडिया समन्वयक", AreaKind: "pc"},
			{Code: "ac-sm-convenor", Title: "AC social media convenor", TitleLocal: "विधानसभा सोशल मीडिया संयोजक", AreaKind: "ac"},
			{Code: "booth-digital-volunteer", Title: "Booth digital volunteer", TitleLocal: "बूथ डिजिटल कार्यकर्ता", AreaKind: "booth", Many: true},
		},
	})
	if err != nil {
		return nil, err
	}
	return drive.Parse(raw) // normalises numbers and rules as any drive file
}

// demoToken re-issues the demo's admin token for JH; only its hash is kept,
// so it is replaced at each start.
func demoToken(ctx context.Context, db *store.DB) (string, error) {
	return access.CreateToken(ctx, db, "demo-admin", "admin", []string{"JH"}, true)
}

// The demo's admin: a placeholder number beside the demo drive's WhatsApp
// number (+91 70000 0000x, all zeros: nobody's to mistake for a real
// one; India reserves no fictional range). It signs in by link, so no
// code is ever sent to it.
const (
	demoAdminPhone = "+917000000001"
	demoAdminName  = "Demo Admin"
)

// demoAdmin gives the demo admin the admin role over JH (at every start:
// the person is made once, the role's areas set again) and returns a new
// one-time sign-in link's token for them.
func demoAdmin(ctx context.Context, db *store.DB, secretKey string) (string, error) {
	actor, err := cliActor(ctx, db)
	if err != nil {
		return "", err
	}
	s := staff.New([]byte(secretKey))
	var token string
	err = db.Update(ctx, func(tx *store.Tx) error {
		if _, err := s.Add(ctx, tx, actor, staff.Grant{Phone: demoAdminPhone, Name: demoAdminName, Role: string(access.Admin),
			Areas: []string{"JH"}}); err != nil {
			return err
		}
		token, err = s.Link(ctx, tx, actor, demoAdminPhone)
		return err
	})
	if err != nil {
		return "", fmt.Errorf("demo: admin: %w", err)
	}
	return token, nil
}
