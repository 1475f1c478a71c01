package geo

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// requiredColumns must all appear in an area file's header, in any order.
var requiredColumns = []string{"code", "kind", "number", "name_en", "name_local", "reservation", "parent", "district"}

// aliasColumn is the one optional column that is not a weight.
const aliasColumn = "aliases"

// aliasSeparator splits the aliases column; '|' never occurs in place names.
const aliasSeparator = "|"

// weightNamePattern keeps weight names usable as rule words ("by electors").
var weightNamePattern = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

// ParseCSV reads an area file (format in docs/geography.md). It checks each
// row on its own and codes for duplicates; references between areas are
// checked by PlanImport, which also knows what is stored. Any problem gives a
// *FileError listing every problem found with its line number.
func ParseCSV(r io.Reader) ([]Area, error) {
	cr := csv.NewReader(skipBOM(r))
	cr.FieldsPerRecord = -1 // counted per row below, to report every bad row
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil, &FileError{Errors: []LineError{{Line: 1, Reason: "the file is empty; it needs a header line"}}}
	}
	if err != nil {
		return nil, &FileError{Errors: []LineError{syntaxProblem(err)}}
	}
	cols, probs := parseHeader(header)
	if len(probs) > 0 {
		return nil, probs.err()
	}
	areas, probs := cols.readRows(cr)
	if err := probs.err(); err != nil {
		return nil, err
	}
	return areas, nil
}

// skipBOM drops the byte-order mark spreadsheet programs put before UTF-8
// text, which would otherwise end up in the first column's name.
func skipBOM(r io.Reader) io.Reader {
	br := bufio.NewReader(r)
	if b, err := br.Peek(3); err == nil && string(b) == "\uFEFF" {
		_, _ = br.Discard(3)
	}
	return br
}

// syntaxProblem turns a CSV syntax error (a stray quote) into a LineError.
func syntaxProblem(err error) LineError {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return LineError{Line: pe.Line, Reason: fmt.Sprintf("CSV syntax: %v (put fields containing quotes in double quotes and double the inner quotes)", pe.Err)}
	}
	return LineError{Reason: fmt.Sprintf("reading the file: %v", err)}
}

// columns maps column names to positions in each row.
type columns struct {
	index   map[string]int // required columns and aliases
	weights []string       // weight column names
	at      []int          // position of each weight column in a row
	count   int
}

func parseHeader(header []string) (columns, problemList) {
	var probs problemList
	cols := columns{index: map[string]int{}, count: len(header)}
	seen := map[string]bool{}
	for i, raw := range header {
		name := strings.ToLower(strings.TrimSpace(raw))
		switch {
		case !utf8.ValidString(name):
			probs.add(1, "column %d's name is not valid UTF-8 (save the file as UTF-8)", i+1)
		case name == "":
			probs.add(1, "column %d has no name", i+1)
		case seen[name]:
			probs.add(1, "column %q appears more than once", name)
		case isRequired(name) || name == aliasColumn:
			cols.index[name] = i
		case weightNamePattern.MatchString(name):
			cols.weights = append(cols.weights, name)
			cols.at = append(cols.at, i)
		default:
			probs.add(1, "column %q is not a known column, and not a valid weight name (a-z, 0-9, '_')", name)
		}
		seen[name] = true
	}
	for _, name := range requiredColumns {
		if !seen[name] {
			probs.add(1, "missing column %q (required: %s)", name, strings.Join(requiredColumns, ","))
		}
	}
	return cols, probs
}

func isRequired(name string) bool { return slices.Contains(requiredColumns, name) }

// readRows reads every data row, collecting problems instead of stopping, except
// after a CSV syntax error, past which the reader's idea of rows is unreliable.
func (c columns) readRows(cr *csv.Reader) ([]Area, problemList) {
	var (
		areas []Area
		probs problemList
		first = map[string]int{} // code → line it first appeared on
	)
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			probs = append(probs, syntaxProblem(err))
			break
		}
		if blank(rec) {
			continue
		}
		line, _ := cr.FieldPos(0)
		a, rowProbs := c.area(rec, line)
		probs.addAll(line, rowProbs)
		// A row with other problems still claims its code, so a later
		// duplicate is reported in the same pass.
		at, dup := first[a.Code]
		if dup {
			probs.add(line, "code %s is already used on line %d", a.Code, at)
		} else if a.Code != "" {
			first[a.Code] = line
		}
		if len(rowProbs) > 0 || dup {
			continue
		}
		areas = append(areas, a)
	}
	return areas, probs
}

// blank reports a row of empty fields, which spreadsheets leave behind when
// rows are deleted; such rows are skipped rather than reported.
func blank(rec []string) bool {
	for _, f := range rec {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

// area builds one Area from a row. A row that is not even readable (wrong
// field count, bad UTF-8) gets that one problem only.
func (c columns) area(rec []string, line int) (Area, []string) {
	if len(rec) != c.count {
		return Area{}, []string{fmt.Sprintf("has %d fields, the header has %d", len(rec), c.count)}
	}
	for i, f := range rec {
		if !utf8.ValidString(f) {
			return Area{}, []string{fmt.Sprintf("field %d is not valid UTF-8 (save the file as UTF-8)", i+1)}
		}
	}
	get := func(name string) string { return strings.TrimSpace(rec[c.index[name]]) }
	a := Area{
		Code: get("code"), Kind: get("kind"), Number: get("number"),
		NameEN: get("name_en"), NameLocal: get("name_local"), Reservation: get("reservation"),
		Parent: get("parent"), District: get("district"), Line: line,
	}
	if i, ok := c.index[aliasColumn]; ok {
		a.Aliases = cleanAliases(strings.Split(rec[i], aliasSeparator), a.NameEN, a.NameLocal)
	}
	weights, weightProbs := c.parseWeights(rec)
	a.Weights = weights
	return a, append(problems(a), weightProbs...)
}

// parseWeights reads the weight columns; an empty cell means "no value",
// which is different from 0 when targets are apportioned.
func (c columns) parseWeights(rec []string) (map[string]float64, []string) {
	var (
		weights map[string]float64
		probs   []string
	)
	for k, name := range c.weights {
		raw := strings.TrimSpace(rec[c.at[k]])
		if raw == "" {
			continue
		}
		v, err := strconv.ParseFloat(raw, 64)
		if err != nil || math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
			probs = append(probs, fmt.Sprintf("%s %q is not a number of zero or more", name, raw))
			continue
		}
		if weights == nil {
			weights = map[string]float64{}
		}
		weights[name] = v
	}
	return weights, probs
}
