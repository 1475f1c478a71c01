// Package config turns command-line flags and JODO_* environment variables
// into a typed Config. Secrets may also come from files named by
// JODO_<NAME>_FILE, so they need not sit in the environment.
package config

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"net/netip"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Config is everything a subcommand needs to start.
type Config struct {
	Command    string
	Action     string   // for grouped commands: "apply" in `jodo drive apply`
	Args       []string // positional arguments (files, names)
	Force      bool     // drive apply --force
	TokenName  string   // token create --name
	TokenAreas string   // token create --area CODE[,CODE…]
	TokenRole  string   // token create --role
	GeoKind    string   // geo match --kind: district, ac or all
	StaffPhone string   // staff add|remove|link --phone
	StaffName  string   // staff add --name
	StaffRole  string   // staff add|remove --role
	StaffAreas string   // staff add --area CODE[,CODE…]
	// ImportDrive, ImportSource and ImportAs are import people's --drive,
	// --source and --as; ImportResume its --resume ID (0: a new import).
	ImportDrive, ImportSource, ImportAs string
	ImportResume                        int64
	DryRun                              bool // import people --dry-run
	NoticeLimit                         int  // import notify --limit: at most this many notices a run (0: all)
	Progress                            bool // import people --progress: the progress line even when stderr is no terminal
	// RevealDailyCap (JODO_REVEAL_DAILY_CAP, default 50) is how many phone
	// numbers one staff member may reveal in a day (India time).
	RevealDailyCap int
	// ExportCaps (JODO_EXPORT_CAP_ADMIN, default 1,00,00,000;
	// JODO_EXPORT_CAP_COORDINATOR, default 2,00,000) are the most rows one
	// export may hold, by role; 0: that role exports no lists.
	ExportCaps map[string]int
	// RevealExportRows (JODO_REVEAL_EXPORT_DAILY_ROWS, default 10,000) is
	// how many rows one staff member may export with whole numbers in a
	// day (India time); 0: no limit.
	RevealExportRows int
	// Export is jodo export's flags.
	Export ExportFlags
	// DashboardPoll (JODO_DASHBOARD_POLL, default 45s) is how often an
	// open dashboard refreshes its figures.
	DashboardPoll time.Duration
	Bench         BenchFlags // jodo bench intake's flags
	DatabaseURL   string
	Addr          string
	// DemoSeed and DemoQuiet are jodo demo's --seed (the generated
	// history's seed, for a new demo database) and --quiet (no trickle of
	// live arrivals).
	DemoSeed  int64
	DemoQuiet bool
	BaseURL   string
	// BaseURLFromAddr: JODO_BASE_URL was not set and BaseURL is made from
	// the listen address, so the server fixes it once it knows its port.
	BaseURLFromAddr bool
	SecretKey       string
	HookSecret      string // JODO_HOOK_SECRET: the missed-call webhook secret shared by all channels
	TwilioToken     string // JODO_TWILIO_AUTH_TOKEN: verifies Twilio's signatures
	LogFormat       string
	LogLevel        string
	SMS             SMS
	// WhatsAppVerifyToken and WhatsAppAppSecret (JODO_WHATSAPP_VERIFY_TOKEN,
	// JODO_WHATSAPP_APP_SECRET, or _FILE) check Meta's webhooks.
	WhatsAppVerifyToken, WhatsAppAppSecret string
	// WhatsAppToken (JODO_WHATSAPP_TOKEN or _FILE) is the Cloud API's access
	// token; empty: nothing is sent on WhatsApp. WhatsAppAPIBase
	// (JODO_WHATSAPP_API_BASE) is the Graph API's versioned base URL and
	// WhatsAppRate (JODO_WHATSAPP_RATE) the sends per second per node.
	WhatsAppToken, WhatsAppAPIBase string
	WhatsAppRate                   float64
	// WhatsAppGroupReminder (JODO_WA_TEMPLATE_GROUP_REMINDER) is the
	// approved WhatsApp template that reminds a volunteer outside their
	// 24-hour window that their group is about to lapse; empty: none goes
	// outside the window.
	WhatsAppGroupReminder string
	// WhatsAppImportNotice (JODO_WA_TEMPLATE_IMPORT_NOTICE) is the approved
	// WhatsApp template of the notice an imported person gets before any
	// outreach (docs/import.md); empty: the notice goes only by SMS.
	WhatsAppImportNotice string
	// TrustedProxies (JODO_TRUSTED_PROXIES: CIDRs or addresses, comma-
	// separated) are the only peers whose X-Forwarded-For is believed.
	TrustedProxies []netip.Prefix
	// Countries (JODO_COUNTRIES: ISO 3166 region codes, comma-separated;
	// default IN) are the countries the installation serves: sign-in codes
	// and follow-up SMS go only to their numbers, and callers from elsewhere
	// are kept without a lead.
	Countries []string
	// MetricsAddr (JODO_METRICS_ADDR) serves /metrics on a listen address of
	// its own instead of the public one; MetricsToken (JODO_METRICS_TOKEN or
	// _FILE) requires "Authorization: Bearer TOKEN" on /metrics. With
	// neither, /metrics is not served on the public address at all.
	MetricsAddr, MetricsToken string
	// Flags are the velocity flags' thresholds (JODO_FLAG_*).
	Flags Flags
}

// Env looks up an environment variable; os.LookupEnv in production, a map in tests.
type Env func(name string) (string, bool)

// Commands lists the subcommands with a one-line description.
var Commands = []struct{ Name, Help string }{
	{"serve", "run the server"},
	{"demo", "run the server on a demo database (jodo-demo.db), creating it if needed"},
	{"migrate", "apply database migrations and exit"},
	{"version", "print the version"},
	{"import", "import areas FILE.csv: load or update areas (docs/geography.md) | import people FILE.csv --drive SLUG --source TEXT [--as member|volunteer] [--dry-run] [--progress] | import people --resume ID | import list | import undo ID | import notify ID [--limit N] (docs/import.md)"},
	{"drive", "drive apply FILE [--force] | drive export SLUG (docs/drives.md)"},
	{"export", "export people|volunteers|posts|groups --drive SLUG [--area CODE] [--format csv|xlsx] [--stage S] [--channel C] [--platform P] [--language L] [--state S] [--kind K] [--post CODE] [--reveal --reason TEXT] [--lang hi|en] [--out FILE] (docs/exports.md)"},
	{"bench", "bench intake [--pg postgres://…] [--conns 64] [--duration 10s] [--load go|wrk] [--latency 500us] [--nodes N] [--followups both|off|on] [--server-binary PATH]: measure missed-call intake (docs/performance.md)"},
	{"token", "token create --name NAME --area CODE[,CODE…] [--role viewer|coordinator|admin] | token list | token revoke NAME"},
	{"staff", "staff add --phone P --name N --role R --area CODE[,CODE…] | staff list | staff remove --phone P [--role R] | staff link --phone P (docs/access.md)"},
	{"geo", "geo match TEXT [--kind district|ac|all]: the areas a typed place name matches (docs/area-matching.md)"},
}

// actions are the second words of grouped commands.
var actions = map[string][]string{
	"import": {"areas", "people", "list", "undo", "notify"},
	"drive":  {"apply", "export"},
	"export": {"people", "volunteers", "posts", "groups"},
	"token":  {"create", "list", "revoke"},
	"bench":  {"intake"},
	"geo":    {"match"},
	"staff":  {"add", "list", "remove", "link"},
}

// Parse reads the subcommand from args[0], then its flags. Flags win over
// environment variables, which win over defaults.
func Parse(args []string, env Env, stderr io.Writer) (*Config, error) {
	if len(args) == 0 {
		usage(stderr)
		return nil, errors.New("no command given")
	}
	cfg := &Config{Command: args[0]}
	if !known(cfg.Command) {
		usage(stderr)
		return nil, fmt.Errorf("unknown command %q", cfg.Command)
	}
	rest := args[1:]
	if acts, grouped := actions[cfg.Command]; grouped {
		if len(rest) == 0 || !slices.Contains(acts, rest[0]) {
			return nil, fmt.Errorf("jodo %s needs one of: %s", cfg.Command, strings.Join(acts, ", "))
		}
		cfg.Action, rest = rest[0], rest[1:]
	}
	fs := cfg.flags(env, stderr)
	args, err := parseInterspersed(fs, rest)
	if err != nil {
		return nil, err
	}
	cfg.Args = args
	if cfg.Command == "demo" {
		if err := demoFakesOnly(env); err != nil {
			return nil, err
		}
	}
	cfg.BaseURL = strings.TrimRight(lookup(env, "JODO_BASE_URL", ""), "/")
	cfg.LogFormat = lookup(env, "JODO_LOG_FORMAT", "text")
	cfg.LogLevel = lookup(env, "JODO_LOG_LEVEL", "info")
	secret, err := Secret(env, "JODO_SECRET_KEY")
	if err != nil {
		return nil, err
	}
	cfg.SecretKey = secret
	if cfg.HookSecret, err = Secret(env, "JODO_HOOK_SECRET"); err != nil {
		return nil, err
	}
	if cfg.TwilioToken, err = Secret(env, "JODO_TWILIO_AUTH_TOKEN"); err != nil {
		return nil, err
	}
	if cfg.WhatsAppVerifyToken, err = Secret(env, "JODO_WHATSAPP_VERIFY_TOKEN"); err != nil {
		return nil, err
	}
	if cfg.WhatsAppAppSecret, err = Secret(env, "JODO_WHATSAPP_APP_SECRET"); err != nil {
		return nil, err
	}
	if cfg.WhatsAppToken, err = Secret(env, "JODO_WHATSAPP_TOKEN"); err != nil {
		return nil, err
	}
	cfg.WhatsAppAPIBase = lookup(env, "JODO_WHATSAPP_API_BASE", "https://graph.facebook.com/v24.0")
	cfg.WhatsAppGroupReminder = lookup(env, "JODO_WA_TEMPLATE_GROUP_REMINDER", "")
	cfg.WhatsAppImportNotice = lookup(env, "JODO_WA_TEMPLATE_IMPORT_NOTICE", "")
	if cfg.WhatsAppRate, err = strconv.ParseFloat(lookup(env, "JODO_WHATSAPP_RATE", "80"), 64); err != nil || cfg.WhatsAppRate < 0 {
		return nil, errors.New("JODO_WHATSAPP_RATE must be a number of messages per second (0: unlimited)")
	}
	if cfg.Countries, err = parseCountries(lookup(env, "JODO_COUNTRIES", "IN")); err != nil {
		return nil, err
	}
	cfg.MetricsAddr = lookup(env, "JODO_METRICS_ADDR", "")
	if cfg.RevealDailyCap, err = strconv.Atoi(lookup(env, "JODO_REVEAL_DAILY_CAP", "50")); err != nil || cfg.RevealDailyCap < 0 {
		return nil, errors.New("JODO_REVEAL_DAILY_CAP must be a whole number of reveals a day per staff member (0: none)")
	}
	if cfg.DashboardPoll, err = time.ParseDuration(lookup(env, "JODO_DASHBOARD_POLL", "45s")); err != nil || cfg.DashboardPoll < time.Second || cfg.DashboardPoll > time.Hour {
		return nil, errors.New("JODO_DASHBOARD_POLL must be a duration between 1s and 1h, like 45s")
	}
	if cfg.ExportCaps, err = parseExportCaps(env); err != nil {
		return nil, err
	}
	if cfg.RevealExportRows, err = strconv.Atoi(lookup(env, "JODO_REVEAL_EXPORT_DAILY_ROWS", "10000")); err != nil || cfg.RevealExportRows < 0 {
		return nil, errors.New("JODO_REVEAL_EXPORT_DAILY_ROWS must be a whole number of rows a day per staff member (0: no limit)")
	}
	if cfg.Flags, err = parseFlags(env); err != nil {
		return nil, err
	}
	if cfg.MetricsToken, err = Secret(env, "JODO_METRICS_TOKEN"); err != nil {
		return nil, err
	}
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	if cfg.Command == "serve" || cfg.Command == "demo" || cfg.Command+" "+cfg.Action == "import notify" {
		if cfg.SMS, err = parseSMS(env, cfg.BaseURL); err != nil {
			return nil, err
		}
		if cfg.TrustedProxies, err = parsePrefixes(lookup(env, "JODO_TRUSTED_PROXIES", "")); err != nil {
			return nil, err
		}
	}
	return cfg, nil
}

func (c *Config) flags(env Env, stderr io.Writer) *flag.FlagSet {
	name := "jodo " + c.Command
	if c.Action != "" {
		name += " " + c.Action
	}
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	if c.Command == "demo" {
		// Not JODO_DATABASE_URL: exported for production, it would fill the
		// production database with the demo's generated people.
		fs.StringVar(&c.DatabaseURL, "db", "sqlite:jodo-demo.db", "the demo's database: sqlite:PATH or postgres://… (JODO_DATABASE_URL is not read)")
	} else {
		fs.StringVar(&c.DatabaseURL, "db", lookup(env, "JODO_DATABASE_URL", "sqlite:jodo.db"), "database: sqlite:PATH or postgres://… (JODO_DATABASE_URL)")
	}
	switch c.Command + " " + c.Action {
	case "serve ", "demo ":
		fs.StringVar(&c.Addr, "addr", lookup(env, "JODO_ADDR", "127.0.0.1:8080"), "listen address (JODO_ADDR)")
		if c.Command == "demo" {
			fs.Int64Var(&c.DemoSeed, "seed", 1, "the seed of the demo drive's generated history (used when the demo database is new)")
			fs.BoolVar(&c.DemoQuiet, "quiet", false, "no trickle of live arrivals through the webhooks")
		}
	case "drive apply":
		fs.BoolVar(&c.Force, "force", false, "apply even if the file's version is older than the stored drive's")
	case "bench intake":
		c.benchFlags(fs)
	case "token create":
		fs.StringVar(&c.TokenName, "name", "", "a name for the token (who or what uses it)")
		fs.StringVar(&c.TokenAreas, "area", "", "area codes the token sees, comma-separated (a district stands for its ACs)")
		fs.StringVar(&c.TokenRole, "role", "viewer", "admin, coordinator, fact_checker or viewer (docs/access.md)")
	case "staff add", "staff remove", "staff link":
		fs.StringVar(&c.StaffPhone, "phone", "", "the staff member's mobile number")
		if c.Action != "link" {
			fs.StringVar(&c.StaffRole, "role", "", "admin, coordinator, fact_checker or viewer (docs/access.md); remove: all roles when not given")
		}
		if c.Action == "add" {
			fs.StringVar(&c.StaffName, "name", "", "their name, for a person new to Jodo")
			fs.StringVar(&c.StaffAreas, "area", "", "area codes the role is held over, comma-separated (a district stands for its ACs)")
		}
	case "geo match":
		fs.StringVar(&c.GeoKind, "kind", "all", "district, ac or all")
	case "import people":
		fs.StringVar(&c.ImportDrive, "drive", "", "the slug of the drive the people join")
		fs.StringVar(&c.ImportSource, "source", "", "where the list came from, in your words: recorded as the import's lawful source")
		fs.StringVar(&c.ImportAs, "as", "member", "member or volunteer: what a row without a role becomes")
		fs.BoolVar(&c.DryRun, "dry-run", false, "check the file and say what it would do; write nothing")
		fs.BoolVar(&c.Progress, "progress", false, "show the progress line on stderr even when it is not a terminal")
		fs.Int64Var(&c.ImportResume, "resume", 0, "finish interrupted import ID instead of starting one (see jodo import list)")
	case "export people", "export volunteers", "export posts", "export groups":
		c.exportFlags(fs)
	case "import notify":
		fs.IntVar(&c.NoticeLimit, "limit", 0, "queue at most this many notices in this run (0: all)")
	}
	return fs
}

// parseInterspersed lets flags follow positional arguments
// (`jodo drive apply FILE --force`), which package flag alone does not.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return positional, nil
		}
		positional = append(positional, args[0])
		args = args[1:]
	}
}

func (c *Config) validate() error {
	if c.HookSecret != "" && len(c.HookSecret) < 16 {
		return errors.New("JODO_HOOK_SECRET must be at least 16 characters: it is all that guards the missed-call webhooks")
	}
	if c.Command == "serve" && len(c.SecretKey) < 32 {
		return errors.New("JODO_SECRET_KEY (or JODO_SECRET_KEY_FILE) must be set to at least 32 characters for serve; generate one with: openssl rand -hex 32")
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		return fmt.Errorf("JODO_LOG_FORMAT must be text or json, not %q", c.LogFormat)
	}
	if c.Command == "bench" {
		if err := c.Bench.validate(); err != nil {
			return err
		}
	}
	if c.BaseURL == "" && c.Addr != "" {
		c.BaseURL, c.BaseURLFromAddr = "http://"+c.Addr, true
	}
	return nil
}

// parsePrefixes reads "10.0.0.0/8, 192.168.1.5, fd00::/8".
func parsePrefixes(list string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, item := range strings.Split(list, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		if p, err := netip.ParsePrefix(item); err == nil {
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(item)
		if err != nil {
			return nil, fmt.Errorf("JODO_TRUSTED_PROXIES: %q is not an address or a CIDR prefix", item)
		}
		out = append(out, netip.PrefixFrom(a, a.BitLen()))
	}
	return out, nil
}

// parseCountries reads "IN" or "IN, NP": two-letter region codes, upper-cased.
func parseCountries(list string) ([]string, error) {
	var out []string
	for _, item := range strings.Split(list, ",") {
		item = strings.ToUpper(strings.TrimSpace(item))
		if item == "" {
			continue
		}
		if len(item) != 2 || item[0] < 'A' || item[0] > 'Z' || item[1] < 'A' || item[1] > 'Z' {
			return nil, fmt.Errorf("JODO_COUNTRIES: %q is not a two-letter country code (such as IN)", item)
		}
		if !slices.Contains(out, item) {
			out = append(out, item)
		}
	}
	if len(out) == 0 {
		return nil, errors.New("JODO_COUNTRIES must name at least one country (such as IN)")
	}
	return out, nil
}

// Secret reads NAME, or the file named by NAME_FILE (trailing newline
// trimmed). Setting both is an error, since one would silently win.
func Secret(env Env, name string) (string, error) {
	v, hasValue := env(name)
	path, hasFile := env(name + "_FILE")
	switch {
	case hasValue && hasFile && v != "" && path != "":
		return "", fmt.Errorf("set %s or %s_FILE, not both", name, name)
	case hasFile && path != "":
		b, err := os.ReadFile(path)
		if err != nil {
			return "", fmt.Errorf("%s_FILE: %w", name, err)
		}
		return strings.TrimRight(string(b), "\r\n"), nil
	}
	return v, nil
}

func lookup(env Env, name, def string) string {
	if v, ok := env(name); ok && v != "" {
		return v
	}
	return def
}

func known(cmd string) bool {
	for _, c := range Commands {
		if c.Name == cmd {
			return true
		}
	}
	return false
}

// Help prints usage to w when args ask for it (`jodo help [CMD]`,
// `jodo --help`, `jodo CMD [ACTION] --help`) and reports whether they did,
// so asking for help is a success rather than a usage error.
func Help(args []string, env Env, w io.Writer) bool {
	if len(args) == 0 {
		return false
	}
	if args[0] == "help" && len(args) > 1 {
		return Help(append(args[1:2:2], "--help"), env, w)
	}
	if args[0] == "help" || isHelpFlag(args[0]) {
		usage(w)
		return true
	}
	if !known(args[0]) || !slices.ContainsFunc(args[1:], isHelpFlag) {
		return false
	}
	c := &Config{Command: args[0]}
	if len(args) > 1 && slices.Contains(actions[c.Command], args[1]) {
		c.Action = args[1]
	}
	for _, cmd := range Commands {
		if cmd.Name == c.Command {
			fmt.Fprintf(w, "usage: jodo %s: %s\n\nflags:\n", cmd.Name, cmd.Help)
		}
	}
	c.flags(env, w).PrintDefaults()
	return true
}

func isHelpFlag(arg string) bool {
	return arg == "-h" || arg == "-help" || arg == "--help"
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: jodo COMMAND [flags]\n\ncommands:")
	for _, c := range Commands {
		fmt.Fprintf(w, "  %-8s %s\n", c.Name, c.Help)
	}
	fmt.Fprintln(w, "\nEvery command takes --db (JODO_DATABASE_URL); only migrate, serve and demo create a database.\n`jodo COMMAND --help` shows its flags. See docs/configuration.md.")
}
