package config

import (
	"flag"
	"fmt"
	"strconv"
)

// ExportFlags are jodo export's flags: the list's drive, area and
// filters, the file's format and where it goes.
type ExportFlags struct {
	Drive, Area, Format, Lang, Out string
	Stage, Channel                 string // people
	Platform, Language             string // volunteers; Language: groups too
	State, Kind                    string // groups
	Post                           string // posts
	Reveal                         bool
	Reason                         string
}

func (c *Config) exportFlags(fs *flag.FlagSet) {
	e := &c.Export
	fs.StringVar(&e.Drive, "drive", "", "the drive's slug")
	fs.StringVar(&e.Area, "area", "", "an area code: the rows of that area and everything under it (default: the drive's root)")
	fs.StringVar(&e.Format, "format", "csv", "csv or xlsx")
	fs.StringVar(&e.Lang, "lang", "en", "en or hi: the headers and the areas' names")
	fs.StringVar(&e.Out, "out", "", "write to this file (default: standard output)")
	switch c.Action {
	case "people":
		fs.StringVar(&e.Stage, "stage", "", "only people whose furthest stage is this: lead, registered, verified, volunteer, active")
		fs.StringVar(&e.Channel, "channel", "", "only people who came by this channel: missed_call, whatsapp, web …")
	case "volunteers":
		fs.StringVar(&e.Platform, "platform", "", "only volunteers with a handle on this platform (docs/volunteers.md)")
		fs.StringVar(&e.Language, "language", "", "only volunteers working in this language (a code: hi, sat …)")
	case "groups":
		fs.StringVar(&e.State, "state", "", "only groups in this state: live, lapsed, invalid, removed, ended")
		fs.StringVar(&e.Kind, "kind", "", "only groups of this kind: whatsapp, telegram, facebook, whatsapp_channel")
		fs.StringVar(&e.Language, "language", "", "only groups in this language (a code)")
	case "posts":
		fs.StringVar(&e.Post, "post", "", "only this post (its code in the drive file)")
	}
	fs.BoolVar(&e.Reveal, "reveal", false, "write phone numbers whole (needs --reason; audited with the row count)")
	fs.StringVar(&e.Reason, "reason", "", "why the numbers are needed (5 to 200 characters, no numbers of 6 digits or more)")
}

// parseExportCaps reads the export caps by role.
func parseExportCaps(env Env) (map[string]int, error) {
	out := map[string]int{}
	for _, c := range []struct{ role, env, def string }{
		{"admin", "JODO_EXPORT_CAP_ADMIN", "10000000"},
		{"coordinator", "JODO_EXPORT_CAP_COORDINATOR", "200000"},
	} {
		n, err := strconv.Atoi(lookup(env, c.env, c.def))
		if err != nil || n < 0 {
			return nil, fmt.Errorf("%s must be a whole number of rows (0: that role exports no lists)", c.env)
		}
		out[c.role] = n
	}
	return out, nil
}
