package app

import (
	"context"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/jodo-org/jodo/internal/access"
	"github.com/jodo-org/jodo/internal/config"
	"github.com/jodo-org/jodo/internal/drive"
	"github.com/jodo-org/jodo/internal/geo"
	"github.com/jodo-org/jodo/internal/store"
)

// admin runs the one-shot commands: import, drive, export, token, staff.
func admin(ctx context.Context, cfg *config.Config, io IO) error {
	db, err := openExisting(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	switch cfg.Command + " " + cfg.Action {
	case "import areas":
		return importAreas(ctx, db, cfg, io)
	case "import people":
		return importPeople(ctx, db, cfg, io)
	case "import list":
		return listImports(ctx, db, io)
	case "import notify":
		return notifyImport(ctx, db, cfg, io)
	case "import undo":
		return undoImport(ctx, db, cfg, io)
	case "drive apply":
		return applyDrive(ctx, db, cfg, io)
	case "drive export":
		return exportDrive(ctx, db, cfg, io)
	case "export people", "export volunteers", "export posts", "export groups":
		return exportList(ctx, db, cfg, io)
	case "token create":
		return createToken(ctx, db, cfg, io)
	case "staff add", "staff list", "staff remove", "staff link":
		return staffCommand(ctx, db, cfg, io)
	case "token list":
		return listTokens(ctx, db, io)
	case "token revoke":
		if len(cfg.Args) != 1 {
			return fmt.Errorf("usage: jodo token revoke NAME")
		}
		if err := db.RevokeToken(ctx, cfg.Args[0]); err != nil {
			return err
		}
		fmt.Fprintf(io.Stdout, "revoked %s\n", cfg.Args[0])
		return nil
	}
	return fmt.Errorf("unknown command %s %s", cfg.Command, cfg.Action)
}

func oneFile(cfg *config.Config) (string, error) {
	if len(cfg.Args) != 1 {
		return "", fmt.Errorf("usage: jodo %s %s FILE", cfg.Command, cfg.Action)
	}
	return cfg.Args[0], nil
}

// builtinAreas names the geographies shipped inside the binary.
var builtinAreas = map[string]func() ([]geo.Area, error){
	"builtin:jharkhand": geo.Jharkhand,
}

func importAreas(ctx context.Context, db *store.DB, cfg *config.Config, io IO) error {
	path, err := oneFile(cfg)
	if err != nil {
		return err
	}
	areas, err := readAreas(path)
	if err != nil {
		return fmt.Errorf("%s: nothing imported:\n%w", path, err)
	}
	plan, err := db.ImportAreas(ctx, geo.Importer(areas))
	if err != nil {
		return fmt.Errorf("%s: nothing imported:\n%w", path, err)
	}
	fmt.Fprintf(io.Stdout, "%s: %d areas read; %d added or changed, %d retired, %d restored\n",
		path, len(areas), len(plan.Upserts), len(plan.Retire), len(plan.Unretire))
	return nil
}

func readAreas(path string) ([]geo.Area, error) {
	if builtin, ok := builtinAreas[path]; ok {
		return builtin()
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return geo.ParseCSV(f)
}

func applyDrive(ctx context.Context, db *store.DB, cfg *config.Config, io IO) error {
	path, err := oneFile(cfg)
	if err != nil {
		return err
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	f, err := drive.Parse(data)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	actor, err := cliActor(ctx, db)
	if err != nil {
		return err
	}
	created, err := drive.Apply(ctx, db, f, cfg.Force, actor)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	verb := "updated"
	if created {
		verb = "created"
	}
	fmt.Fprintf(io.Stdout, "drive %s %s (version %d)\n", f.Slug, verb, f.Version)
	return nil
}

func exportDrive(ctx context.Context, db *store.DB, cfg *config.Config, io IO) error {
	if len(cfg.Args) != 1 {
		return fmt.Errorf("usage: jodo drive export SLUG")
	}
	file, err := drive.Export(ctx, db, cfg.Args[0])
	if err != nil {
		return err
	}
	_, err = io.Stdout.Write(file)
	return err
}

func createToken(ctx context.Context, db *store.DB, cfg *config.Config, io IO) error {
	areas := splitCodes(cfg.TokenAreas)
	token, err := access.CreateToken(ctx, db, cfg.TokenName, cfg.TokenRole, areas, false)
	if err != nil {
		return err
	}
	fmt.Fprintf(io.Stdout, "token %s (%s, areas %s); it is shown only now:\n%s\n", cfg.TokenName, cfg.TokenRole, strings.Join(areas, ","), token)
	return nil
}

func splitCodes(s string) []string {
	var out []string
	for c := range strings.SplitSeq(s, ",") {
		if c = strings.TrimSpace(c); c != "" {
			out = append(out, strings.ToUpper(c))
		}
	}
	return out
}

func listTokens(ctx context.Context, db *store.DB, io IO) error {
	tokens, err := db.Tokens(ctx)
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(io.Stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tROLE\tAREAS\tCREATED\tLAST USED")
	for _, t := range tokens {
		used := "never"
		if !t.LastUsedAt.IsZero() {
			used = t.LastUsedAt.Format("2006-01-02 15:04")
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", t.Name, t.Role, strings.Join(t.Areas, ","), t.CreatedAt.Format("2006-01-02 15:04"), used)
	}
	return tw.Flush()
}
