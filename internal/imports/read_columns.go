package imports

import (
	"encoding/csv"
	"errors"
	"io"
	"strings"
)

// columnNames are the people file's columns, in the order docs/import.md
// lists them.
var columnNames = []string{
	"phone", "name", "area", "language", "languages", "role", "adult", "adult_evidence",
	"consent_evidence", "consent_date", "whatsapp_optin", "sms_optin", "legacy_no",
}

// requiredColumns must be in every header.
var requiredColumns = []string{"phone", "area"}

// columns is where each column is in a record; -1 when the header lacks it.
type columns struct {
	phone, name, area, language, languages, role, adult, adultEvidence,
	consentEvidence, consentDate, whatsApp, sms, legacyNo int
}

// index points a column's name at its field in columns.
func (c *columns) index(name string) *int {
	return map[string]*int{
		"phone": &c.phone, "name": &c.name, "area": &c.area, "language": &c.language, "languages": &c.languages,
		"role": &c.role, "adult": &c.adult, "adult_evidence": &c.adultEvidence, "consent_evidence": &c.consentEvidence,
		"consent_date": &c.consentDate, "whatsapp_optin": &c.whatsApp, "sms_optin": &c.sms, "legacy_no": &c.legacyNo,
	}[name]
}

// header reads the first line and finds the columns; ok is false when the
// header has problems (added to the check), and then no row is read.
func (rd *reader) header() (ok bool, err error) {
	rec, err := rd.csv.Read()
	var pe *csv.ParseError
	switch {
	case err == io.EOF:
		rd.problem(1, "", "the file is empty: its first line must name the columns ("+strings.Join(columnNames, ", ")+")")
		return false, nil
	case errors.As(err, &pe):
		rd.problem(int64(pe.StartLine), "", "the header is not readable as CSV: "+pe.Err.Error())
		return false, nil
	case err != nil:
		return false, err
	}
	pos, _ := rd.csv.FieldPos(0)
	line := int64(pos)
	for _, name := range columnNames {
		*rd.cols.index(name) = -1
	}
	rd.width = len(rec)
	for i, field := range rec {
		name := strings.ToLower(strings.TrimSpace(field))
		at := rd.cols.index(name)
		switch {
		case name == "":
			rd.problem(line, "", "a column with no name: take the empty column out (spreadsheets leave one after the last)")
		case at == nil:
			rd.problem(line, field, "unknown column: the columns are "+strings.Join(columnNames, ", ")+
				" (a spelling mistake, or a column to take out of the file before importing)")
		case *at >= 0:
			rd.problem(line, name, "this column comes twice in the header")
		default:
			*at = i
		}
	}
	for _, name := range requiredColumns {
		if *rd.cols.index(name) < 0 {
			rd.problem(line, name, "the header has no "+name+" column, which every people file needs")
		}
	}
	return rd.check.Bad == 0, nil
}

// field is a record's trimmed value of a column; "" when the header lacks it.
func field(rec []string, at int) string {
	if at < 0 {
		return ""
	}
	return strings.TrimSpace(rec[at])
}
