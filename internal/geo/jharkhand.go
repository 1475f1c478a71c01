package geo

import (
	"bytes"
	"embed"
	"encoding/csv"
	"fmt"
	"strconv"
	"strings"
	"unicode"
)

// The whole folder is embedded, so the binary carries SOURCES.md and the
// MIT notice for the AC shapes along with the data.
//
//go:embed data/jharkhand
var jharkhandFS embed.FS

const jharkhandDir = "data/jharkhand/"

// Roots of the shipped geography. The CSVs describe only what is below them.
var (
	india     = Area{Code: "IN", Kind: "country", NameEN: "India", NameLocal: "भारत"}
	jharkhand = Area{Code: "JH", Kind: "state", NameEN: "Jharkhand", NameLocal: "झारखंड", Parent: "IN"}
)

// Jharkhand returns the shipped geography: India, Jharkhand, its 24
// districts, 14 PCs and 81 ACs, built from the embedded CSVs (sources in
// data/jharkhand/SOURCES.md). Where the Hindi sources conflict every
// other spelling an AC is known by is an alias.
func Jharkhand() ([]Area, error) {
	districts, err := jharkhandDistricts()
	if err != nil {
		return nil, err
	}
	pcs, err := jharkhandPCs()
	if err != nil {
		return nil, err
	}
	acs, err := jharkhandACs()
	if err != nil {
		return nil, err
	}
	areas := append([]Area{india, jharkhand}, districts...)
	areas = append(areas, pcs...)
	return append(areas, acs...), nil
}

// districtCode builds JH-D-EAST-SINGHBHUM from "East Singhbhum".
func districtCode(nameEN string) string {
	return "JH-D-" + strings.ToUpper(strings.ReplaceAll(strings.TrimSpace(nameEN), " ", "-"))
}

func pcCode(n int) string { return fmt.Sprintf("JH-PC-%02d", n) }
func acCode(n int) string { return fmt.Sprintf("JH-AC-%03d", n) }

func jharkhandDistricts() ([]Area, error) {
	rows, err := readTable("jharkhand_districts.csv")
	if err != nil {
		return nil, err
	}
	areas := make([]Area, 0, len(rows))
	for _, r := range rows {
		areas = append(areas, Area{
			Code: districtCode(r["name_en"]), Kind: "district",
			NameEN: r["name_en"], NameLocal: r["name_hi"], Parent: jharkhand.Code,
		})
	}
	return areas, nil
}

func jharkhandPCs() ([]Area, error) {
	rows, err := readTable("jharkhand_pc.csv")
	if err != nil {
		return nil, err
	}
	areas := make([]Area, 0, len(rows))
	for _, r := range rows {
		n, err := positive(r["pc_no"])
		if err != nil {
			return nil, fmt.Errorf("geo: jharkhand_pc.csv: %w", err)
		}
		areas = append(areas, Area{
			Code: pcCode(n), Kind: "pc", Number: strconv.Itoa(n),
			NameEN: r["name_en"], NameLocal: r["name_hi"], Reservation: r["reservation"],
			Parent: jharkhand.Code,
		})
	}
	return areas, nil
}

func jharkhandACs() ([]Area, error) {
	rows, err := readTable("jharkhand_ac.csv")
	if err != nil {
		return nil, err
	}
	variants, err := hindiVariants()
	if err != nil {
		return nil, err
	}
	areas := make([]Area, 0, len(rows))
	for _, r := range rows {
		a, err := jharkhandAC(r, variants)
		if err != nil {
			return nil, fmt.Errorf("geo: jharkhand_ac.csv: %w", err)
		}
		areas = append(areas, a)
	}
	return areas, nil
}

func jharkhandAC(r map[string]string, variants map[int][]string) (Area, error) {
	n, err := positive(r["ac_no"])
	if err != nil {
		return Area{}, err
	}
	pc, err := positive(r["pc_no"])
	if err != nil {
		return Area{}, err
	}
	a := Area{
		Code: acCode(n), Kind: "ac", Number: strconv.Itoa(n),
		NameEN: r["name_en"], NameLocal: r["name_hi"], Reservation: r["reservation"],
		Parent: pcCode(pc), District: districtCode(r["district_en"]),
	}
	a.Aliases = cleanAliases(variants[n], a.NameEN, a.NameLocal)
	if booths := r["booths"]; booths != "" {
		v, err := strconv.ParseFloat(booths, 64)
		if err != nil {
			return Area{}, fmt.Errorf("AC %d: booths %q: %w", n, booths, err)
		}
		a.Weights = map[string]float64{"booths": v}
	}
	return a, nil
}

// hindiVariants reads every Hindi spelling the sources offer for the ACs
// where they disagree, so a person typing any of them still finds the AC.
func hindiVariants() (map[int][]string, error) {
	rows, err := readTable("jharkhand_ac_hindi_variants.csv")
	if err != nil {
		return nil, err
	}
	out := map[int][]string{}
	for _, r := range rows {
		n, err := positive(r["ac_no"])
		if err != nil {
			return nil, fmt.Errorf("geo: jharkhand_ac_hindi_variants.csv: %w", err)
		}
		// third_source is "spelling (where it was seen) …"; only the spelling is a name.
		third, _, _ := strings.Cut(r["third_source"], " (")
		for _, v := range []string{r["variant_list_A"], r["variant_list_B"], third} {
			if devanagari(v) {
				out[n] = append(out[n], v)
			}
		}
	}
	return out, nil
}

// devanagari reports text made only of Devanagari and spaces, which filters
// out notes such as "none found" or "(left empty)".
func devanagari(s string) bool {
	s = strings.TrimSpace(s)
	if s == "" {
		return false
	}
	for _, r := range s {
		if r != ' ' && !unicode.Is(unicode.Devanagari, r) {
			return false
		}
	}
	return true
}

func positive(s string) (int, error) {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n <= 0 {
		return 0, fmt.Errorf("%q is not a positive whole number", s)
	}
	return n, nil
}

// readTable reads an embedded CSV into one map per row, keyed by column name.
func readTable(name string) ([]map[string]string, error) {
	data, err := jharkhandFS.ReadFile(jharkhandDir + name)
	if err != nil {
		return nil, fmt.Errorf("geo: %w", err)
	}
	recs, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	if err != nil || len(recs) == 0 {
		return nil, fmt.Errorf("geo: %s: no header (%v)", name, err)
	}
	rows := make([]map[string]string, 0, len(recs)-1)
	for _, rec := range recs[1:] {
		row := make(map[string]string, len(rec))
		for i, col := range recs[0] {
			row[col] = strings.TrimSpace(rec[i])
		}
		rows = append(rows, row)
	}
	return rows, nil
}
