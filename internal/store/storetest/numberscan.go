package storetest

import (
	"context"
	"encoding/base64"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/jodo-org/jodo/internal/store"
)

// NumberLeft searches every text, JSON and binary column of every table
// of db, found in the database's own catalog, for a phone number in any
// form: E.164, the wa_id (no "+"), the national ten digits, those digits
// with spaces, dashes, dots or URL-encoded spaces between them ("+91 98777
// 00900", "98777-00900", "98777%2000900"), and the number as base64
// inside a WhatsApp message id (a wamid carries its user's wa_id). It
// returns where each was found ("table.column: form"), empty when nothing
// holds it.
func NumberLeft(t testing.TB, db *store.DB, number string) []string {
	t.Helper()
	forms := numberForms(number)
	return scanText(t, db, "a number", forms.in)
}

// TextLeft searches every text, JSON and binary column of every table of
// db, as NumberLeft does, for any of words (ignoring case): what a person
// gave that is not a number, such as their handles. It returns where each
// was found ("table.column: word"), empty when nothing holds one.
func TextLeft(t testing.TB, db *store.DB, words ...string) []string {
	t.Helper()
	return scanText(t, db, "words", func(v string) string {
		v = strings.ToLower(v)
		for _, w := range words {
			if w != "" && strings.Contains(v, strings.ToLower(w)) {
				return w
			}
		}
		return ""
	})
}

// scanText reads every text column of every table and lists the values
// in which found names something.
func scanText(t testing.TB, db *store.DB, what string, found func(string) string) []string {
	t.Helper()
	ctx := context.Background()
	var out []string
	err := db.View(ctx, func(tx *store.Tx) error {
		cols, err := textColumns(ctx, tx)
		if err != nil {
			return err
		}
		for _, c := range cols {
			rows, err := sqlOf(tx).QueryContext(ctx, fmt.Sprintf(`SELECT %q FROM %q WHERE %q IS NOT NULL`, c[1], c[0], c[1]))
			if err != nil {
				return fmt.Errorf("%s.%s: %w", c[0], c[1], err)
			}
			for rows.Next() {
				var v []byte
				if err := rows.Scan(&v); err != nil {
					rows.Close()
					return fmt.Errorf("%s.%s: %w", c[0], c[1], err)
				}
				if form := found(string(v)); form != "" {
					out = append(out, fmt.Sprintf("%s.%s: %s in %.200q", c[0], c[1], form, v))
				}
			}
			if err := rows.Close(); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("scanning the database for %s: %v", what, err)
	}
	return out
}

// textColumns lists (table, column) of every column that can hold text or
// bytes, from sqlite_master and table_info on SQLite, information_schema
// on PostgreSQL (the test's own schema).
func textColumns(ctx context.Context, tx *store.Tx) ([][2]string, error) {
	q := `SELECT m.name, c.name FROM sqlite_master m, pragma_table_info(m.name) c
		WHERE m.type = 'table' AND (c.type = '' OR UPPER(c.type) LIKE '%TEXT%' OR UPPER(c.type) LIKE '%CHAR%'
			OR UPPER(c.type) LIKE '%CLOB%' OR UPPER(c.type) LIKE '%BLOB%' OR UPPER(c.type) LIKE '%JSON%')
		ORDER BY m.name, c.cid`
	if tx.Engine() == store.Postgres {
		q = `SELECT c.table_name, c.column_name FROM information_schema.columns c
			JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
			WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
				AND c.data_type IN ('text', 'character varying', 'character', 'bytea', 'json', 'jsonb')
			ORDER BY c.table_name, c.ordinal_position`
	}
	rows, err := sqlOf(tx).QueryContext(ctx, q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out [][2]string
	for rows.Next() {
		var c [2]string
		if err := rows.Scan(&c[0], &c[1]); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	if len(out) == 0 && rows.Err() == nil {
		return nil, fmt.Errorf("the catalog lists no text columns")
	}
	return out, rows.Err()
}

// forms are the spellings of one number a value must not contain.
type forms struct {
	national  string         // the last ten digits: inside E.164 and the wa_id too
	separated *regexp.Regexp // the national digits with separators between them
	wa        string         // the wa_id: E.164 without "+"
	base64    []string       // the wa_id's bytes at each alignment, base64 (standard and URL)
}

// wamidPart finds WhatsApp message ids, "\/" escapes and all.
var wamidPart = regexp.MustCompile(`wamid\.([A-Za-z0-9+/=_\-\\]+)`)

func numberForms(number string) forms {
	wa := strings.Map(func(r rune) rune {
		if r < '0' || r > '9' {
			return -1
		}
		return r
	}, number)
	f := forms{national: wa[max(0, len(wa)-10):], wa: wa}
	sep := `(?:[\s\-.()+/]|%20|%2[bBdD]|\\u00a0|\x{a0}){0,3}`
	var re strings.Builder
	for i, d := range f.national {
		if i > 0 {
			re.WriteString(sep)
		}
		re.WriteRune(d)
	}
	f.separated = regexp.MustCompile(re.String())
	// A wamid's bytes put the wa_id at any offset: each alignment's whole
	// 3-byte groups encode to the same characters wherever they sit.
	for skip := range 3 {
		b := []byte(wa[skip:])
		b = b[:len(b)/3*3]
		for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding} {
			s := enc.EncodeToString(b)
			f.base64 = append(f.base64, s, strings.ReplaceAll(s, "/", `\/`))
		}
	}
	return f
}

// in names the first form of the number v contains, or "".
func (f forms) in(v string) string {
	switch {
	case strings.Contains(v, f.national):
		return "the digits"
	case f.separated.MatchString(v):
		return "the digits with separators"
	}
	for _, b := range f.base64 {
		if strings.Contains(v, b) {
			return "base64 of the wa_id"
		}
	}
	for _, m := range wamidPart.FindAllStringSubmatch(v, -1) {
		id := strings.ReplaceAll(m[1], `\/`, "/")
		for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
			if b, err := enc.DecodeString(id); err == nil && strings.Contains(string(b), f.wa) {
				return "a wamid carrying the wa_id"
			}
		}
	}
	return ""
}
