package app

import (
	"bufio"
	"context"
	"fmt"
	"os"

	"github.com/jodo-org/jodo/internal/access"
	"github.com/jodo-org/jodo/internal/config"
	"github.com/jodo-org/jodo/internal/directory"
	"github.com/jodo-org/jodo/internal/exports"
	"github.com/jodo-org/jodo/internal/store"
)

// exportCaps are the configured caps as the exports take them.
func exportCaps(cfg *config.Config) exports.Caps {
	caps := exports.Caps{}
	for role, n := range cfg.ExportCaps {
		caps[access.Role(role)] = n
	}
	return caps
}

// exportList runs jodo export KIND: the list as the command line's actor
// (cli:<os user>, the whole installation in scope), to --out or standard
// output, then a line on stderr with the rows written.
func exportList(ctx context.Context, db *store.DB, cfg *config.Config, stdio IO) error {
	f := cfg.Export
	if len(cfg.Args) != 0 || f.Drive == "" {
		return fmt.Errorf("usage: jodo export %s --drive SLUG [--area CODE] [--format csv|xlsx] [--reveal --reason TEXT] [--out FILE]", cfg.Action)
	}
	actor, err := cliActor(ctx, db)
	if err != nil {
		return err
	}
	dir, err := directory.New(db, directory.Config{SecretKey: []byte(cfg.SecretKey)})
	if err != nil {
		return err
	}
	p, err := exports.New(db, dir, exportCaps(cfg)).Prepare(ctx, actor, exports.Request{
		Kind: exports.Kind(cfg.Action), Format: exports.Format(f.Format), Drive: f.Drive, Area: f.Area, Lang: f.Lang,
		Stage: f.Stage, Channel: f.Channel, Platform: f.Platform, Language: f.Language, State: f.State, GroupKind: f.Kind, Post: f.Post,
		Reveal: f.Reveal, Reason: f.Reason})
	if err != nil {
		return err
	}
	out := stdio.Stdout
	var file *os.File
	if f.Out != "" {
		// 0600: the file holds people's names, whatever the umask.
		if file, err = os.OpenFile(f.Out, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600); err != nil {
			return err
		}
		out = file
	}
	buf := bufio.NewWriterSize(out, 256<<10)
	rows, err := p.Write(ctx, buf)
	if err == nil {
		err = buf.Flush()
	}
	if file != nil {
		if cerr := file.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			os.Remove(f.Out) // half a list is worse than none
		}
	}
	if err != nil {
		return fmt.Errorf("export stopped after %d rows: %w", rows, err)
	}
	where := "standard output"
	if f.Out != "" {
		where = f.Out
	}
	fmt.Fprintf(stdio.Stderr, "exported %s rows of %s to %s\n", grouped.Sprint(rows), cfg.Action, where)
	return nil
}
