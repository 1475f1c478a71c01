package areamatch

import (
	"bytes"
	_ "embed"
	"encoding/csv"
	"fmt"
	"strings"

	"github.com/jodo-org/jodo/internal/geo"
)

// aliases.csv holds names people use that the shipped geography does not
// carry yet: headquarters towns, renamed towns, official alternative
// spellings. It is data keyed by area code; codes not being matched are
// ignored, so it does no harm to another organisation's areas.
//
//go:embed aliases.csv
var aliasesCSV []byte

var extraAliases = mustReadAliases(aliasesCSV)

func mustReadAliases(data []byte) map[string][]string {
	out, err := readAliases(data)
	if err != nil {
		panic(err)
	}
	return out
}

// readAliases reads code,alias,note rows into aliases by code.
func readAliases(data []byte) (map[string][]string, error) {
	recs, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("areamatch: aliases.csv: %w", err)
	}
	out := map[string][]string{}
	for i, rec := range recs {
		if i == 0 {
			continue
		}
		code, alias := strings.TrimSpace(rec[0]), strings.TrimSpace(rec[1])
		if !geo.ValidCode(code) || alias == "" {
			return nil, fmt.Errorf("areamatch: aliases.csv line %d: want a valid code and an alias", i+1)
		}
		out[code] = append(out[code], alias)
	}
	return out, nil
}
