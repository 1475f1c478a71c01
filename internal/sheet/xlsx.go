package sheet

import (
	"archive/zip"
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"
)

// MaxXLSXRows is the most rows a sheet holds in Excel (1,048,576, the
// header among them).
const MaxXLSXRows = 1 << 20

// Writer is a table being written: CSV or XLSX, one row at a time.
type Writer interface {
	Row(cells ...any) error
	Flush() error
}

// indianGrouping shows whole numbers as India writes them: 12,34,567 and
// 1,23,45,678 (lakh and crore), the form organisers read.
const indianGrouping = `[>=10000000]#\,##\,##\,##0;[>=100000]#\,##\,##0;#,##0`

// XLSX writes rows into one sheet of an Excel workbook. Rows are streamed
// into the workbook's sheet file as they come (excelize keeps what passes
// its buffer in a temporary file, not in memory); the workbook is zipped
// straight to out by Flush, as a ZIP can only be finished at its end.
type XLSX struct {
	out     io.Writer
	f       *excelize.File
	sw      *excelize.StreamWriter
	number  int // the style of whole numbers
	next    int // the next row's number, from 1
	flushed bool
}

// NewXLSX returns a workbook of one sheet named sheetName, written to out
// by Flush.
func NewXLSX(out io.Writer, sheetName string) (*XLSX, error) {
	f := excelize.NewFile()
	if err := f.SetSheetName("Sheet1", sheetName); err != nil {
		f.Close()
		return nil, fmt.Errorf("sheet: %w", err)
	}
	grouping := indianGrouping
	number, err := f.NewStyle(&excelize.Style{CustomNumFmt: &grouping})
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("sheet: %w", err)
	}
	sw, err := f.NewStreamWriter(sheetName)
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("sheet: %w", err)
	}
	return &XLSX{out: out, f: f, sw: sw, number: number, next: 1}, nil
}

// Row writes one row, with the cells CSV.Row takes: a string is text (made
// Neutral, and stored as a string cell, never a formula), an int or int64
// a whole number with Indian grouping, a float64 a number, nil empty.
func (x *XLSX) Row(cells ...any) error {
	row := make([]any, len(cells))
	for i, v := range cells {
		switch v := v.(type) {
		case nil:
		case string:
			row[i] = Neutral(v)
		case Made:
			row[i] = string(v) // a string cell: never read as a formula when opened
		case int:
			row[i] = excelize.Cell{StyleID: x.number, Value: v}
		case int64:
			row[i] = excelize.Cell{StyleID: x.number, Value: v}
		case float64:
			row[i] = v
		default:
			return fmt.Errorf("sheet: a cell of type %T", v)
		}
	}
	if x.next > MaxXLSXRows {
		return fmt.Errorf("sheet: more than %d rows do not fit an Excel sheet", MaxXLSXRows)
	}
	cell, err := excelize.CoordinatesToCellName(1, x.next)
	if err != nil {
		return fmt.Errorf("sheet: %w", err)
	}
	x.next++
	if err := x.sw.SetRow(cell, row); err != nil {
		return fmt.Errorf("sheet: %w", err)
	}
	return nil
}

// Flush finishes the workbook, writes it to out and lets go of its
// temporary files; the writer cannot be used after.
func (x *XLSX) Flush() error {
	if x.flushed {
		return nil
	}
	x.flushed = true
	defer x.f.Close()
	if err := x.sw.Flush(); err != nil {
		return fmt.Errorf("sheet: %w", err)
	}
	// excelize zips a workbook into a buffer of its own before copying it
	// out (a million rows: 300 MB more); its zip writer is handed out
	// instead, so the zip goes straight to out and the buffer stays empty.
	// What that buffer is for, marking entries over 4 GB as ZIP64, cannot
	// arise: a sheet holds at most MaxXLSXRows.
	x.f.SetZipWriter(func(io.Writer) excelize.ZipWriter { return zip.NewWriter(x.out) })
	if _, err := x.f.WriteTo(io.Discard); err != nil {
		return fmt.Errorf("sheet: %w", err)
	}
	return nil
}

// Close lets go of the workbook's temporary files without writing it (an
// export that failed half way); after Flush it does nothing.
func (x *XLSX) Close() error {
	if x.flushed {
		return nil
	}
	x.flushed = true
	return x.f.Close()
}
