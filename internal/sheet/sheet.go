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
)

// Neutral is s as a spreadsheet should show it: a cell that Excel,
// LibreOffice or Google Sheets would take as a formula (it starts with =,
// +, -, @, a tab or a carriage return, as OWASP's CSV injection advice
// lists) gets a leading apostrophe, which they show as text.
func Neutral(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}

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
