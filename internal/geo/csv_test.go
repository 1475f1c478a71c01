package geo

import (
	"fmt"
	"strings"
	"testing"
)

const header = "code,kind,number,name_en,name_local,reservation,parent,district\n"

func TestParseCSVReadsEveryColumn(t *testing.T) {
	areas := mustParse(t, "\uFEFF"+"Code, kind ,number,name_en,name_local,reservation,parent,district,aliases,electors,households\n"+
		`JH-AC-063-B-0123A,booth,123A," Ward 4, School ",वार्ड 4,,JH-AC-063,,Ward Four| |Ward Four|वार्ड 4,812,`+"\n"+
		",,,,,,,,,,\n")
	if len(areas) != 1 {
		t.Fatalf("got %d areas, want 1 (the blank row skipped)", len(areas))
	}
	a := areas[0]
	if a.Code != "JH-AC-063-B-0123A" || a.Kind != "booth" || a.Number != "123A" || a.NameEN != "Ward 4, School" ||
		a.NameLocal != "वार्ड 4" || a.Parent != "JH-AC-063" || a.District != "" || a.Reservation != "" {
		t.Errorf("area = %+v", a)
	}
	if fmt.Sprint(a.Aliases) != "[Ward Four]" {
		t.Errorf("aliases = %q, want only [Ward Four] (deduplicated, own names dropped)", a.Aliases)
	}
	if len(a.Weights) != 1 || a.Weights["electors"] != 812 {
		t.Errorf("weights = %v, want electors 812 and no households (empty = absent)", a.Weights)
	}
}

func TestParseCSVProblemsCarryLineNumbers(t *testing.T) {
	tests := []struct {
		name, text string
		line       int
		want       string
	}{
		{"empty file", "", 1, "empty"},
		{"missing column", "code,kind,number,name_en,name_local,reservation,parent\n", 1, `missing column "district"`},
		{"duplicate column", strings.TrimSuffix(header, "\n") + ",kind\n", 1, `"kind" appears more than once`},
		{"bad column name", strings.TrimSuffix(header, "\n") + ",electors count\n", 1, `"electors count" is not a known column`},
		{"field count", header + "JH,state,,Jharkhand,,,,\nJH-PC-01,pc,1,Rajmahal,,ST,JH\n", 3, "has 7 fields, the header has 8"},
		{"invalid UTF-8", header + "JH,state,,Jharkhand,,,,\nJH-D-X,district,,Bad \xff,,,JH,\n", 3, "not valid UTF-8"},
		{"empty code", header + ",state,,Jharkhand,,,,\n", 2, "code is empty"},
		{"empty kind", header + "JH,,,Jharkhand,,,,\n", 2, "kind is empty"},
		{"empty name", header + "JH,state,,,,,,\n", 2, "name_en is empty"},
		{"lowercase code", header + "JH,state,,Jharkhand,,,,\njh-pc-01,pc,1,Rajmahal,,ST,JH,\n", 3, `code "jh-pc-01" is not valid`},
		{"code ends with dash", header + "JH-,state,,Jharkhand,,,,\n", 2, "is not valid"},
		{"code starts with dash", header + "-JH,state,,Jharkhand,,,,\n", 2, "is not valid"},
		{"duplicate code", header + "JH,state,,Jharkhand,,,,\nJH-PC-01,pc,1,A,,,JH,\nJH-PC-01,pc,2,B,,,JH,\n", 4, "already used on line 3"},
		{"bad number", header + "JH,state,,Jharkhand,,,,\nJH-PC-01,pc,1b,Rajmahal,,ST,JH,\n", 3, `number "1b"`},
		{"bad reservation", header + "JH,state,,Jharkhand,,,,\nJH-PC-01,pc,1,Rajmahal,,OBC,JH,\n", 3, `reservation "OBC"`},
		{"bad weight", strings.TrimSuffix(header, "\n") + ",electors\nJH,state,,Jharkhand,,,,,\nJH-D-X,district,,X,,,JH,,many\n", 3, `electors "many"`},
		{"negative weight", strings.TrimSuffix(header, "\n") + ",electors\nJH,state,,Jharkhand,,,,,-5\n", 2, `electors "-5"`},
		{"own parent", header + "JH,state,,Jharkhand,,,JH,\n", 2, "its own parent"},
		{"bad parent code", header + "JH,state,,Jharkhand,,,J H,\n", 2, `parent "J H"`},
		{"stray quote", header + "JH,state,,Jhar\"khand,,,,\n", 2, "CSV syntax"},
		{"multi-line field keeps the row's line", header + "JH,state,,\"Jhar\nkhand\",,,,\nJH-PC-01,pc,x,A,,,JH,\n", 4, `number "x"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			areas, err := ParseCSV(strings.NewReader(tt.text))
			if areas != nil {
				t.Errorf("got %d areas with an error, want none", len(areas))
			}
			wantProblem(t, err, tt.line, tt.want)
		})
	}
}

func TestParseCSVReportsEveryBadLine(t *testing.T) {
	var b strings.Builder
	b.WriteString(header)
	for i := range 30 {
		fmt.Fprintf(&b, "JH-PC-%02d,pc,x%d,PC,,,JH,\n", i, i)
	}
	_, err := ParseCSV(strings.NewReader(b.String()))
	fe := err.(*FileError)
	if len(fe.Errors) != 30 || fe.Errors[29].Line != 31 {
		t.Fatalf("got %d problems (last %v), want 30 ending on line 31", len(fe.Errors), fe.Errors[len(fe.Errors)-1])
	}
	msg := err.Error()
	if !strings.Contains(msg, "line 2: ") || strings.Contains(msg, "line 31:") || !strings.Contains(msg, "and 10 more") {
		t.Errorf("Error() should list the first %d lines and count the rest:\n%s", maxListed, msg)
	}
}
