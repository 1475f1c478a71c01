package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"text/tabwriter"
	"time"

	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"github.com/jodo-org/jodo/internal/config"
	"github.com/jodo-org/jodo/internal/imports"
	"github.com/jodo-org/jodo/internal/store"
)

// grouped prints counts as an organiser reads them: 999,998.
var grouped = message.NewPrinter(language.English)

// importPeople runs jodo import people: a new import of FILE.csv, or with
// --resume the rest of one that was interrupted while loading. It runs as
// the command line's actor (cli:<os user>).
func importPeople(ctx context.Context, db *store.DB, cfg *config.Config, io IO) error {
	actor, err := cliActor(ctx, db)
	if err != nil {
		return err
	}
	key, err := secretKeyOf(ctx, db, cfg)
	if err != nil {
		return err
	}
	im := imports.New(db, key)
	line := newProgressLine(io.Stderr, cfg.Progress)
	started := time.Now()
	if cfg.ImportResume != 0 {
		if len(cfg.Args) != 0 || cfg.ImportDrive != "" || cfg.DryRun {
			return errors.New("usage: jodo import people --resume ID (the file, drive and source are the import's own)")
		}
		line.enter("loading")
		rep, err := im.Resume(ctx, cfg.ImportResume, actor.Label, line.update)
		line.end()
		if err != nil {
			return stopped(rep, err)
		}
		printImported(io, rep, "resumed", line.loaded, time.Since(started))
		return nil
	}
	if len(cfg.Args) != 1 || cfg.ImportDrive == "" {
		return errors.New("usage: jodo import people FILE.csv --drive SLUG --source TEXT [--as member|volunteer] [--dry-run] [--progress]")
	}
	path := cfg.Args[0]
	rep, err := im.Run(ctx, imports.Request{DriveSlug: cfg.ImportDrive, FileName: path, Open: line.opener(path, cfg.DryRun),
		Source: cfg.ImportSource, As: cfg.ImportAs, Actor: actor.Label, DryRun: cfg.DryRun, Progress: line.update})
	line.end()
	if fe := (*imports.FileError)(nil); errors.As(err, &fe) {
		return refused(io, path, fe.Check)
	}
	if err != nil {
		return stopped(rep, err)
	}
	if rep.DryRun {
		fmt.Fprint(io.Stdout, grouped.Sprintf("%s: %d rows; would add %d, update %d, leave %d unchanged, refuse %d; nothing written\n",
			path, rep.Check.Rows, rep.New, rep.Updated, rep.Unchanged, rep.Refused))
		return nil
	}
	printImported(io, rep, "", rep.Import.Rows, time.Since(started))
	return nil
}

// printImported is the summary line: what the import did, how fast.
func printImported(io IO, rep imports.Report, how string, rows int64, took time.Duration) {
	name := fmt.Sprintf("import %d", rep.Import.ID)
	if how != "" {
		name += " (" + how + ")"
	}
	rate := ""
	if s := took.Seconds(); rows > 0 && s > 0 {
		rate = grouped.Sprintf(" (%d rows/s)", int64(float64(rows)/s))
	}
	fmt.Fprint(io.Stdout, grouped.Sprintf("%s: %d new, %d updated, %d unchanged, %d refused in %.1f s%s\n",
		name, rep.New, rep.Updated, rep.Unchanged, rep.Refused, took.Seconds(), rate))
}

// refused lists a refused file's problems on stderr, the first
// imports.MaxProblems of them, and fails.
func refused(io IO, path string, check imports.Check) error {
	for _, p := range check.Problems {
		if p.Column == "" {
			fmt.Fprintf(io.Stderr, "line %d: %s\n", p.Line, p.Reason)
		} else {
			fmt.Fprintf(io.Stderr, "line %d: %s: %s\n", p.Line, p.Column, p.Reason)
		}
	}
	more := check.Bad - int64(len(check.Problems))
	if more > 0 {
		fmt.Fprint(io.Stderr, grouped.Sprintf("… and %d more problems; nothing was imported\n", more))
	}
	return errors.New(grouped.Sprintf("%s: %d %s; nothing was imported", path, check.Bad, plural(check.Bad, "problem", "problems")))
}

// stopped says, for an import that stopped while loading (the database
// went away, Ctrl-C), how to finish or remove it.
func stopped(rep imports.Report, err error) error {
	if id := rep.Import.ID; id != 0 && rep.Import.State == store.ImportLoading {
		return fmt.Errorf("%w\nimport %d stopped while loading: jodo import people --resume %d finishes it, jodo import undo %d removes it",
			err, id, id, id)
	}
	return err
}

// listImports prints every import, newest first, with how to finish or
// remove one that was interrupted.
func listImports(ctx context.Context, db *store.DB, io IO) error {
	list, err := db.Imports(ctx)
	if err != nil {
		return err
	}
	if len(list) == 0 {
		fmt.Fprintln(io.Stdout, "no imports yet")
		return nil
	}
	drives, err := db.Drives(ctx)
	if err != nil {
		return err
	}
	slugs := make(map[int64]string, len(drives))
	for _, d := range drives {
		slugs[d.ID] = d.Slug
	}
	tw := tabwriter.NewWriter(io.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tDRIVE\tSTATE\tROWS\tNEW\tUPDATED\tUNCHANGED\tREFUSED\tSOURCE\tFILE\tSHA256\tBY\tWHEN")
	for _, i := range list {
		fmt.Fprint(tw, grouped.Sprintf("%d\t%s\t%s\t%d\t%d\t%d\t%d\t%d\t%s\t%s\t%.12s\t%s\t%s\n", i.ID, slugs[i.DriveID], i.State,
			i.Rows, i.New, i.Updated, i.Unchanged, i.Refused, i.Source, i.FileName, i.SHA256, i.Actor, i.CreatedAt.Format("2006-01-02 15:04")))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for _, i := range list {
		switch i.State {
		case store.ImportLoading:
			fmt.Fprintf(io.Stdout, "import %d is loading; if it is not running, it was interrupted: jodo import people --resume %d, or jodo import undo %d\n",
				i.ID, i.ID, i.ID)
		case store.ImportStaging:
			fmt.Fprintf(io.Stdout, "import %d is staging (nothing of it visible); if it is not running, it was interrupted: jodo import people --resume %d drops it, then import the file again\n",
				i.ID, i.ID)
		}
	}
	return nil
}

// undoImport runs jodo import undo ID.
func undoImport(ctx context.Context, db *store.DB, cfg *config.Config, io IO) error {
	id, err := importID(cfg)
	if err != nil {
		return err
	}
	actor, err := cliActor(ctx, db)
	if err != nil {
		return err
	}
	res, err := imports.New(db, nil).Undo(ctx, id, actor.Label)
	if err != nil {
		return err
	}
	fmt.Fprint(io.Stdout, grouped.Sprintf("import %d undone: removed %d; kept %d that people have acted on since\n", id, res.Removed, res.Kept))
	return nil
}

// notifyImport runs jodo import notify ID: the notices an import's people
// must get before any outreach, on the channels its evidence covers.
func notifyImport(ctx context.Context, db *store.DB, cfg *config.Config, io IO) error {
	id, err := importID(cfg)
	if err != nil {
		return err
	}
	n := imports.Notices{DB: db, WhatsAppTemplate: cfg.WhatsAppImportNotice, SMSProvider: cfg.SMS.Provider,
		SMSTemplates: cfg.SMS.ImportNoticeTemplates, BaseURL: cfg.BaseURL}
	got, err := n.Notify(ctx, id, cfg.NoticeLimit)
	if err != nil {
		return err
	}
	fmt.Fprint(io.Stdout, grouped.Sprintf("import %d: notices queued: %d on WhatsApp, %d by SMS; %d people no channel reaches "+
		"(no opt-in Jodo can send on: no notice and no outreach); %d noticed before\n", id, got.WhatsApp, got.SMS, got.NoChannel, got.Already))
	return nil
}

// importID is the one argument of jodo import undo: an import's id.
func importID(cfg *config.Config) (int64, error) {
	if len(cfg.Args) == 1 {
		if id, err := strconv.ParseInt(cfg.Args[0], 10, 64); err == nil && id > 0 {
			return id, nil
		}
	}
	return 0, fmt.Errorf("usage: jodo import %s ID (the number jodo import list shows)", cfg.Action)
}

func plural(n int64, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// isTerminal reports whether w is a character device, as a terminal is.
func isTerminal(w any) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// progressLine is the line on stderr an import keeps rewriting ("\r"):
// the phase, rows done (of how many), rows a second, the time left and
// the rows refused so far, at most four times a second.
type progressLine struct {
	w       io.Writer // nil: no line is drawn
	phase   string
	since   time.Time // the phase's start
	done    int64     // rows, in this phase
	total   int64     // rows, when known
	refused int64
	read    int64 // bytes of the file read in this pass
	size    int64 // the file's size
	passes  int   // times the file was opened
	dry     bool
	drawn   time.Time
	width   int   // of the last line drawn, to blank what a shorter one leaves
	loaded  int64 // rows loaded in this run, for the summary's rate
}

// newProgressLine draws on stderr when it is a terminal or force is set.
func newProgressLine(stderr io.Writer, force bool) *progressLine {
	l := &progressLine{drawn: time.Now()} // an import done within the first quarter second draws nothing
	if force || isTerminal(stderr) {
		l.w = stderr
	}
	return l
}

// opener opens the file for each pass over it (checked, then staged or
// planned), counting the bytes read so a pass's progress shows even
// before the rows are counted.
func (l *progressLine) opener(path string, dry bool) func() (io.ReadCloser, error) {
	l.dry = dry
	return func() (io.ReadCloser, error) {
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		fi, err := f.Stat()
		if err != nil {
			f.Close()
			return nil, err
		}
		l.passes++
		phase := "checking"
		if l.passes > 1 {
			phase = map[bool]string{true: "planning", false: "staging"}[dry]
		}
		l.enter(phase)
		l.size = fi.Size()
		return &countedFile{f: f, line: l}, nil
	}
}

func (l *progressLine) enter(phase string) {
	if phase != l.phase {
		l.phase, l.since, l.done, l.total, l.read = phase, time.Now(), 0, 0, 0
	}
}

// update takes the importer's progress.
func (l *progressLine) update(p imports.Progress) {
	l.enter(p.Phase)
	l.done, l.total, l.refused = p.Done, p.Total, p.Refused
	if p.Phase == "loading" {
		l.loaded = p.Done
	}
	l.draw(false)
}

func (l *progressLine) draw(force bool) {
	if l.w == nil || l.phase == "" || (!force && time.Since(l.drawn) < 250*time.Millisecond) {
		return
	}
	l.drawn = time.Now()
	took := time.Since(l.since)
	var s string
	switch {
	case l.total > 0:
		s = grouped.Sprintf("%s: %d of %d rows", l.phase, l.done, l.total)
	case l.size > 0:
		s = grouped.Sprintf("%s: %d%% of the file", l.phase, l.read*100/l.size)
	default:
		s = l.phase
	}
	if l.total == 0 && l.done > 0 {
		s += grouped.Sprintf(", %d rows", l.done)
	}
	if l.done > 0 && took >= time.Second {
		s += grouped.Sprintf(", %d rows/s", int64(float64(l.done)/took.Seconds()))
	}
	if left, ok := l.left(took); ok {
		s += ", ETA " + left.Round(time.Second).String()
	}
	if l.phase == "loading" {
		s += grouped.Sprintf(", %d refused", l.refused)
	}
	pad := max(0, l.width-len(s))
	l.width = len(s)
	fmt.Fprintf(l.w, "\r%s%*s", s, pad, "")
}

// left is the phase's time left, from its rows when their total is
// known, else from the bytes of the file read.
func (l *progressLine) left(took time.Duration) (time.Duration, bool) {
	switch {
	case l.total > 0 && l.done > 0:
		return time.Duration(float64(took) * float64(l.total-l.done) / float64(l.done)), true
	case l.total == 0 && l.read > 0 && l.size > 0:
		return time.Duration(float64(took) * float64(l.size-l.read) / float64(l.read)), true
	}
	return 0, false
}

// end draws the last state and ends the line, so what follows starts on
// a line of its own.
func (l *progressLine) end() {
	if l.w != nil && l.phase != "" {
		l.draw(true)
		fmt.Fprintln(l.w)
	}
}

// countedFile is the file being imported, counting its bytes for the
// progress line.
type countedFile struct {
	f    *os.File
	line *progressLine
}

func (c *countedFile) Read(p []byte) (int, error) {
	n, err := c.f.Read(p)
	c.line.read += int64(n)
	c.line.draw(false)
	return n, err
}

// Close ends a pass over the file; the one that staged it is followed
// by loading, which starts now even though its first rows are reported
// only once they are in.
func (c *countedFile) Close() error {
	if l := c.line; l.passes > 1 && !l.dry {
		l.enter("loading")
	}
	return c.f.Close()
}
