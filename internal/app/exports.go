package app

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

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
	out, done, err := exportTarget(stdio.Stdout, f.Out)
	if err != nil {
		return err
	}
	buf := bufio.NewWriterSize(out, 256<<10)
	rows, err := p.Write(ctx, buf)
	if err == nil {
		err = buf.Flush()
	}
	if err = done(err); err != nil {
		return fmt.Errorf("export stopped after %d rows: %w", rows, err)
	}
	where := "standard output"
	if f.Out != "" {
		where = f.Out
	}
	fmt.Fprintf(stdio.Stderr, "exported %s rows of %s to %s\n", grouped.Sprint(rows), cfg.Action, where)
	return nil
}

// exportTarget is where an export goes: standard output, a device or pipe
// named by --out as it is, or for a file a temporary one beside it
// (readable by its owner only: it holds people's names) that takes the
// file's name only once the export is whole. done finishes it after the
// export's err: a failed export leaves no file and an earlier one as it was.
func exportTarget(stdout io.Writer, path string) (out io.Writer, done func(error) error, err error) {
	if path == "" {
		return stdout, func(err error) error { return err }, nil
	}
	if st, err := os.Stat(path); err == nil && !st.Mode().IsRegular() {
		dev, err := os.OpenFile(path, os.O_WRONLY, 0)
		if err != nil {
			return nil, nil, err
		}
		return dev, func(err error) error { return errors.Join(err, dev.Close()) }, nil
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return nil, nil, err
	}
	return tmp, func(err error) error {
		if err = errors.Join(err, tmp.Close()); err == nil {
			err = os.Rename(tmp.Name(), path)
		}
		if err != nil {
			os.Remove(tmp.Name())
		}
		return err
	}, nil
}
