package imports

import (
	"bufio"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"io"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/jodo-org/jodo/internal/store"
)

// now is the clock a consent date must not be after; tests set it.
var now = time.Now

// ist is where the people files are written: a consent given this morning
// in India is still yesterday in UTC.
var ist = time.FixedZone("IST", 5*3600+1800)

// bom is what Excel's "CSV UTF-8" puts before the header.
const bom = "\xef\xbb\xbf"

// Read checks a whole people file, calling each for every good row in line
// order, and says what it found. Bad rows are problems in the Check, never
// an error: the error is only for reading the file or a failing each, which
// stops the reading.
func Read(r io.Reader, areas Areas, inDrive InDrive, as string, each func(store.StagedRow) error) (Check, error) {
	sum := sha256.New()
	in := bufio.NewReaderSize(io.TeeReader(r, sum), 64<<10)
	if b, err := in.Peek(len(bom)); err == nil && string(b) == bom {
		_, _ = in.Discard(len(bom))
	}
	cr := csv.NewReader(in)
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	rd := reader{
		csv: cr, areas: areas, inDrive: inDrive, volunteer: as == AsVolunteer,
		today: now().In(ist).Format(time.DateOnly), first: map[uint64]int64{}, languageSets: map[uint64]string{},
	}
	err := rd.read(each)
	if err == nil {
		err = drain(in)
	}
	rd.check.SHA256 = hex.EncodeToString(sum.Sum(nil))
	return rd.check, err
}

// reader is one Read's state.
type reader struct {
	csv       *csv.Reader
	areas     Areas
	inDrive   InDrive
	volunteer bool             // the default role
	today     string           // YYYY-MM-DD in India
	cols      columns          // where each column is
	width     int              // the header's field count
	first     map[uint64]int64 // a phone's E.164 digits → the line it first came on
	// Spared work: the codes of each set of working languages seen, and
	// the last consent date read with what it became.
	languageSets map[uint64]string
	lastDate     [2]string
	check        Check
}

func (rd *reader) read(each func(store.StagedRow) error) error {
	ok, err := rd.header()
	if err != nil || !ok {
		return err
	}
	for {
		rec, err := rd.csv.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			var pe *csv.ParseError
			if !errors.As(err, &pe) {
				return err
			}
			rd.problem(int64(pe.StartLine), "", "not readable as CSV: "+pe.Err.Error()+" (a quote inside a field must be doubled)")
			continue
		}
		line, _ := rd.csv.FieldPos(0)
		row, good := rd.row(int64(line), rec)
		if !good {
			continue
		}
		if err := each(row); err != nil {
			return err
		}
		rd.check.Rows++
	}
}

// row checks one record; good is false when it had problems (already
// added to the check) or was empty.
func (rd *reader) row(line int64, rec []string) (row store.StagedRow, good bool) {
	if blank(rec) {
		return row, false
	}
	bad := rd.check.Bad
	switch {
	case len(rec) != rd.width:
		rd.problem(line, "", "has "+strconv.Itoa(len(rec))+" fields; the header has "+strconv.Itoa(rd.width))
	case !validUTF8(rec):
		rd.problem(line, "", "is not UTF-8 text: save the file as \"CSV UTF-8\" and export again")
	default:
		row = rd.values(line, rec)
	}
	return row, rd.check.Bad == bad
}

// problem adds a problem to the check: listed if there is room, counted
// always.
func (rd *reader) problem(line int64, column, reason string) {
	rd.check.Bad++
	if len(rd.check.Problems) < MaxProblems {
		rd.check.Problems = append(rd.check.Problems, Problem{Line: line, Column: column, Reason: reason})
	}
}

func blank(rec []string) bool {
	for _, f := range rec {
		for i := range len(f) {
			if c := f[i]; c != ' ' && c != '\t' {
				return false
			}
		}
	}
	return true
}

func validUTF8(rec []string) bool {
	for _, f := range rec {
		if !utf8.ValidString(f) {
			return false
		}
	}
	return true
}

// drain reads what is left of a file, so its hash is of all of it even
// when its header stopped the reading.
func drain(in io.Reader) error {
	_, err := io.Copy(io.Discard, in)
	return err
}
