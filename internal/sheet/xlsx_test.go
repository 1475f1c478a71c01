package sheet

import (
	"bytes"
	"testing"

	"github.com/xuri/excelize/v2"
)

func TestXLSX(t *testing.T) {
	var buf bytes.Buffer
	x, err := NewXLSX(&buf, "volunteers")
	if err != nil {
		t.Fatal(err)
	}
	rows := [][]any{
		{"name", "members", "share"},
		{`=HYPERLINK("http://x","y")`, int64(1234567), 12.5},
		{"सुनीता देवी", 7, nil},
		{Made("+91 98xxxxxx10"), "+91 98xxxxxx10"},
	}
	for _, r := range rows {
		if err := x.Row(r...); err != nil {
			t.Fatal(err)
		}
	}
	if err := x.Flush(); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got, err := f.GetRows("volunteers", excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{{"name", "members", "share"}, {`'=HYPERLINK("http://x","y")`, "1234567", "12.5"}, {"सुनीता देवी", "7"}, {"+91 98xxxxxx10", "'+91 98xxxxxx10"}}
	if len(got) != len(want) {
		t.Fatalf("rows = %q, want %q", got, want)
	}
	for i := range want {
		for j := range want[i] {
			if got[i][j] != want[i][j] {
				t.Errorf("row %d cell %d = %q, want %q", i, j, got[i][j], want[i][j])
			}
		}
	}
	// No cell of the workbook is a formula: the name stays text.
	if formula, err := f.GetCellFormula("volunteers", "A2"); err != nil || formula != "" {
		t.Errorf("A2's formula = %q (%v), want none", formula, err)
	}
	// The number carries the Indian grouping as its format (Excel shows
	// 12,34,567; excelize's own renderer does not read such formats right).
	id, err := f.GetCellStyle("volunteers", "B2")
	if err != nil {
		t.Fatal(err)
	}
	style, err := f.GetStyle(id)
	if err != nil || style.CustomNumFmt == nil || *style.CustomNumFmt != indianGrouping {
		t.Errorf("B2's format = %v (%v), want %q", style, err, indianGrouping)
	}
}
