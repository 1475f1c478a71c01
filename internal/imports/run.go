package imports

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/drive"
	"github.com/jodo-org/jodo/internal/store"
)

// Importer brings people files into drives.
type Importer struct {
	db        *store.DB
	secretKey []byte // keys the suppressions of erased and refused numbers
	chunk     int    // rows per load transaction
	batch     int    // rows per staging transaction
}

// New returns an Importer. Chunks of 2,000 rows keep each load
// transaction to tens of milliseconds, so a server sharing the database
// (on SQLite, its one write lock) waits at most that long for its turn.
func New(db *store.DB, secretKey []byte) *Importer {
	return &Importer{db: db, secretKey: secretKey, chunk: 2000, batch: 5000}
}

// WithChunk sets how many rows each load transaction takes.
func (im *Importer) WithChunk(n int) *Importer {
	c := *im
	c.chunk = max(1, n)
	return &c
}

// Request is one import of a people file.
type Request struct {
	DriveSlug string
	FileName  string                        // recorded as given
	Open      func() (io.ReadCloser, error) // opened twice: checked whole first, then staged
	Source    string                        // where the list came from, in the organiser's words
	As        string                        // AsMember or AsVolunteer: rows without a role column
	Actor     string                        // "cli:alice"
	DryRun    bool
	Progress  func(Progress) // nil: none
}

// Progress is how far an import is, for the terminal's progress line.
type Progress struct {
	Phase   string // "checking", "staging", "loading"
	Done    int64  // rows
	Total   int64  // 0: not known yet
	Refused int64
}

// Report is what an import did (or, dry, would do).
type Report struct {
	Import                           store.Import // zero ID for a dry run
	Check                            Check
	New, Updated, Unchanged, Refused int64
	DryRun                           bool
}

// FileError is a file refused whole: nothing of it was written.
type FileError struct{ Check Check }

func (e *FileError) Error() string {
	return fmt.Sprintf("the file has %d problem(s); nothing was imported", e.Check.Bad)
}

// Run checks the whole file, then (unless dry) stages it, loads it in
// chunks and counts it once at the end. A file with any problem is
// refused whole with a *FileError.
func (im *Importer) Run(ctx context.Context, req Request) (Report, error) {
	if strings.TrimSpace(req.Source) == "" {
		return Report{}, apperr.New(apperr.Invalid, "say where the list came from (--source): it is the import's lawful source")
	}
	if req.As != AsMember && req.As != AsVolunteer {
		return Report{}, apperr.New(apperr.Invalid, "--as must be member or volunteer, not %q", req.As)
	}
	d, err := im.db.DriveBySlug(ctx, req.DriveSlug)
	if err != nil {
		return Report{}, err
	}
	if err := im.db.ForBulkLoad(ctx); err != nil {
		return Report{}, err
	}
	areas, inDrive, err := im.areas(ctx, d)
	if err != nil {
		return Report{}, err
	}
	progress := req.Progress
	if progress == nil {
		progress = func(Progress) {}
	}
	check, err := im.read(req, areas, inDrive, func(store.StagedRow) error { return nil }, "checking", progress)
	if err != nil {
		return Report{}, err
	}
	if check.Bad > 0 {
		return Report{Check: check}, &FileError{Check: check}
	}
	if req.DryRun {
		return im.dryRun(ctx, req, d, check, areas, inDrive, progress)
	}
	imp, err := im.stage(ctx, req, d, check, areas, inDrive, progress)
	if err != nil {
		return Report{Check: check}, err
	}
	rep, err := im.load(ctx, imp, req.Actor, progress)
	rep.Check = check
	return rep, err
}

// read reads the file once through Read, reporting progress.
func (im *Importer) read(req Request, areas Areas, inDrive InDrive, each func(store.StagedRow) error, phase string, progress func(Progress)) (Check, error) {
	f, err := req.Open()
	if err != nil {
		return Check{}, err
	}
	defer f.Close()
	var n int64
	return Read(f, areas, inDrive, req.As, func(r store.StagedRow) error {
		if n++; n%50000 == 0 {
			progress(Progress{Phase: phase, Done: n})
		}
		return each(r)
	})
}

// stage records the import and stages its rows, in transactions of
// im.batch rows. The file is read a second time: if it differs from what
// was checked, or staging fails, the import is dropped whole.
func (im *Importer) stage(ctx context.Context, req Request, d store.Drive, check Check, areas Areas, inDrive InDrive, progress func(Progress)) (store.Import, error) {
	imp := store.Import{DriveID: d.ID, FileName: req.FileName, SHA256: check.SHA256, Source: strings.TrimSpace(req.Source),
		As: req.As, Actor: req.Actor}
	err := im.db.Update(ctx, func(tx *store.Tx) error {
		var err error
		imp.Day, err = importDay(d, tx)
		if err != nil {
			return err
		}
		imp.ID, err = store.CreateImport(ctx, tx, imp)
		return err
	})
	if err != nil {
		return store.Import{}, err
	}
	t := newTurns(im.db)
	batch := make([]store.StagedRow, 0, im.batch)
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		start := time.Now()
		err := im.db.Update(ctx, func(tx *store.Tx) error {
			if err := t.seen(ctx, tx); err != nil {
				return err
			}
			return store.StageRows(ctx, tx, imp.ID, batch)
		})
		t.took(len(batch), time.Since(start))
		batch = batch[:0]
		if err != nil {
			return err
		}
		return t.wait(ctx)
	}
	again, err := im.read(req, areas, inDrive, func(r store.StagedRow) error {
		if batch = append(batch, r); len(batch) >= t.size(im.batch) {
			return flush()
		}
		return nil
	}, "staging", progress)
	if err == nil {
		err = flush()
	}
	if err == nil && (again.SHA256 != check.SHA256 || again.Bad > 0 || again.Rows != check.Rows) {
		err = apperr.New(apperr.Conflict, "the file changed while it was being imported; nothing was imported")
	}
	if err == nil {
		err = im.db.Update(ctx, func(tx *store.Tx) error { return store.StartLoading(ctx, tx, imp.ID, check.Rows) })
	}
	if err != nil {
		drop := im.db.Update(context.WithoutCancel(ctx), func(tx *store.Tx) error { return store.DropStagingImport(ctx, tx, imp.ID) })
		return store.Import{}, errors.Join(err, drop)
	}
	imp.State, imp.Rows = store.ImportLoading, check.Rows
	return imp, nil
}

// load moves an import's staged rows into people chunk by chunk, then
// counts it and records it done, with its audit entry.
func (im *Importer) load(ctx context.Context, imp store.Import, actor string, progress func(Progress)) (Report, error) {
	var done, refused int64
	t := newTurns(im.db)
	for {
		res, err := im.loadTurn(ctx, imp, t)
		if err != nil {
			return Report{Import: imp}, err
		}
		if res.rows == 0 {
			break
		}
		if err := t.wait(ctx); err != nil {
			return Report{Import: imp}, err
		}
		done += int64(res.rows)
		refused += res.counts[RowRefused]
		progress(Progress{Phase: "loading", Done: done, Total: imp.Rows, Refused: refused})
	}
	err := im.db.Update(ctx, func(tx *store.Tx) error {
		var err error
		if imp, err = store.FinishImport(ctx, tx, imp.ID); err != nil {
			return err
		}
		return store.Audit(ctx, tx, store.AuditEntry{Actor: actor, Action: "import", Rows: imp.Rows,
			Detail: fmt.Sprintf("import %d into drive %d: new %d, updated %d, unchanged %d, refused %d; sha256 %s",
				imp.ID, imp.DriveID, imp.New, imp.Updated, imp.Unchanged, imp.Refused, imp.SHA256)})
	})
	return Report{Import: imp, New: imp.New, Updated: imp.Updated, Unchanged: imp.Unchanged, Refused: imp.Refused}, err
}

// dryRun reads the file again and plans it chunk by chunk in read
// transactions: what would happen, nothing written.
func (im *Importer) dryRun(ctx context.Context, req Request, d store.Drive, check Check, areas Areas, inDrive InDrive, progress func(Progress)) (Report, error) {
	rep := Report{Check: check, DryRun: true}
	imp := store.Import{DriveID: d.ID, Source: req.Source, As: req.As}
	batch := make([]store.StagedRow, 0, im.chunk)
	plan := func() error {
		if len(batch) == 0 {
			return nil
		}
		err := im.db.View(ctx, func(tx *store.Tx) error {
			c, err := im.planChunk(ctx, tx, imp, batch, false)
			rep.New, rep.Updated, rep.Unchanged, rep.Refused = rep.New+c.New, rep.Updated+c.Updated,
				rep.Unchanged+c.Unchanged, rep.Refused+c.Refused
			return err
		})
		batch = batch[:0]
		return err
	}
	_, err := im.read(req, areas, inDrive, func(r store.StagedRow) error {
		if batch = append(batch, r); len(batch) == cap(batch) {
			return plan()
		}
		return nil
	}, "planning", progress)
	if err == nil {
		err = plan()
	}
	return rep, err
}

// Resume finishes an import that was interrupted while loading. One
// interrupted while its file was being staged had nothing visible: it is
// dropped, and the file must be imported again.
func (im *Importer) Resume(ctx context.Context, id int64, actor string, progress func(Progress)) (Report, error) {
	if progress == nil {
		progress = func(Progress) {}
	}
	if err := im.db.ForBulkLoad(ctx); err != nil {
		return Report{}, err
	}
	var imp store.Import
	err := im.db.View(ctx, func(tx *store.Tx) error {
		var err error
		imp, err = store.GetImport(ctx, tx, id)
		return err
	})
	if err != nil {
		return Report{}, err
	}
	switch imp.State {
	case store.ImportLoading:
		return im.load(ctx, imp, actor, progress)
	case store.ImportStaging:
		err := im.db.Update(ctx, func(tx *store.Tx) error { return store.DropStagingImport(ctx, tx, id) })
		if err != nil {
			return Report{}, err
		}
		return Report{}, apperr.New(apperr.Conflict,
			"import %d was interrupted while its file was being checked in; nothing of it was visible and it is dropped: run the import again", id)
	}
	return Report{}, apperr.New(apperr.Conflict, "import %d is %s: nothing to resume", id, imp.State)
}

// Undo removes what import id created that nobody has touched since, and
// puts its counts back; what someone acted on stays (UndoResult.Kept).
func (im *Importer) Undo(ctx context.Context, id int64, actor string) (store.UndoResult, error) {
	var res store.UndoResult
	err := im.db.Update(ctx, func(tx *store.Tx) error {
		var err error
		if res, err = store.UndoImport(ctx, tx, id); err != nil {
			return err
		}
		return store.Audit(ctx, tx, store.AuditEntry{Actor: actor, Action: "import.undo", Rows: res.Removed,
			Detail: fmt.Sprintf("import %d: removed %d, kept %d", id, res.Removed, res.Kept)})
	})
	return res, err
}

// importDay is the drive-local day an import's counts go on: today, or
// the drive's first or last day when it runs before or after the drive.
func importDay(d store.Drive, tx *store.Tx) (string, error) {
	loc, err := drive.Zone(d.Timezone)
	if err != nil {
		return "", err
	}
	day := drive.DayOf(tx.Now, loc)
	return min(max(day, d.StartsOn), d.EndsOn), nil
}

// areas finds codes among the drive's areas first, then anywhere (so a
// district or another state's code can be refused with its reason).
func (im *Importer) areas(ctx context.Context, d store.Drive) (Areas, InDrive, error) {
	root, err := im.db.GetArea(ctx, d.RootArea)
	if err != nil {
		return nil, nil, err
	}
	under, err := im.db.Descendants(ctx, d.RootArea, "")
	if err != nil {
		return nil, nil, err
	}
	byCode := map[string]*store.Area{root.Code: &root}
	for i := range under {
		byCode[under[i].Code] = &under[i]
	}
	areas := func(code string) (store.Area, bool) {
		a, seen := byCode[code]
		if !seen {
			if found, err := im.db.GetArea(ctx, code); err == nil {
				a = &found
			}
			byCode[code] = a // nil: no such code, asked once
		}
		if a == nil {
			return store.Area{}, false
		}
		return *a, true
	}
	inDrive := func(a store.Area) bool { return strings.HasPrefix(a.Path, root.Path) }
	return areas, inDrive, nil
}
