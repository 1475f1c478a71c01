// Package sheet writes tables for spreadsheets safely: every download and
// export of Jodo goes through it, so that no cell a person typed (a name,
// an area's name, a reason) can run as a formula when the file is opened,
// and Excel reads the file's Hindi right.
package sheet

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Neutral is s as a spreadsheet should show it: a cell that Excel,
// LibreOffice or Google Sheets could take as a formula gets a leading
// apostrophe, which they show as text. That is a cell starting with =, +,
// -, @, a tab, a carriage return or a line feed (OWASP's CSV injection
// list), their full-width forms (＝＋－＠, which some versions read as the
// same), or any of those after leading spaces.
func Neutral(s string) string {
	rest := strings.TrimLeft(s, " ")
	if rest == "" {
		return s
	}
	r, _ := utf8.DecodeRuneInString(rest)
	if strings.ContainsRune(formulaStarts, r) {
		return "'" + s
	}
	return s
}

// Made is text Jodo made in a fixed form, never typed by a person: a phone
// number in E.164 or masked ("+91 98xxxxxx10"). An XLSX writes it as it is,
// a string cell that a spreadsheet never reads as a formula when opening
// the file, so numbers are not shown with a leading apostrophe; a CSV,
// which has no types, still neutralises it.
type Made string

// formulaStarts are the characters a cell must not start with.
const formulaStarts = "=+-@\t\r\n＝＋－＠"

// CSV writes rows as CSV, UTF-8 with a byte-order mark (without it Excel
// reads UTF-8 as the local code page and Devanagari turns to mojibake).
type CSV struct {
	out     io.Writer
	w       *csv.Writer
	started bool
}

// NewCSV returns a CSV writer to w.
func NewCSV(w io.Writer) *CSV {
	cw := csv.NewWriter(w)
	cw.UseCRLF = true // what Excel writes, and RFC 4180
	return &CSV{out: w, w: cw}
}

// Row writes one row. A string cell is text and made Neutral; an int,
// int64 or float64 is a number, written as such even when negative; nil
// is an empty cell.
func (c *CSV) Row(cells ...any) error {
	if !c.started {
		c.started = true
		if _, err := io.WriteString(c.out, "\uFEFF"); err != nil {
			return err
		}
	}
	out := make([]string, len(cells))
	for i, v := range cells {
		switch v := v.(type) {
		case nil:
		case string:
			out[i] = Neutral(v)
		case Made:
			out[i] = Neutral(string(v)) // a CSV cell has no type: a spreadsheet reads it afresh
		case int:
			out[i] = strconv.Itoa(v)
		case int64:
			out[i] = strconv.FormatInt(v, 10)
		case float64:
			out[i] = strconv.FormatFloat(v, 'f', -1, 64)
		default:
			return fmt.Errorf("sheet: a cell of type %T", v)
		}
	}
	return c.w.Write(out)
}

// Flush writes what is buffered and reports the first error.
func (c *CSV) Flush() error {
	c.w.Flush()
	return c.w.Error()
}
