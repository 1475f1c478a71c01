package geo

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"

	"github.com/jodo-org/jodo/internal/store"
)

// Area is one node of an area tree: a state, a constituency, a booth, a
// district or any other kind an organisation loads. Kind is data, not an
// enum. It is the store's Area, so area files, stored rows and the matchers
// share one type: geo fills Code to Weights and, from a file, Line; Path is
// the materialized path PlanImport computes.
type Area = store.Area

// maxCodeLen keeps codes (and so the paths built from them) a sane size
// for indexes and URLs.
const maxCodeLen = 64

var (
	numberPattern = regexp.MustCompile(`^[0-9]+[A-Z]?$`)
	kindPattern   = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
)

// ValidCode reports whether s is a well-formed area code: uppercase ASCII
// letters, digits and '-', not starting or ending with '-'. Codes appear in
// paths and URLs, so nothing else is allowed.
func ValidCode(s string) bool {
	if s == "" || len(s) > maxCodeLen || s[0] == '-' || s[len(s)-1] == '-' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// validReservation lists the seat reservations Indian constituencies carry;
// "" is for areas that are not seats (booths, districts).
func validReservation(s string) bool {
	return s == "" || s == "GEN" || s == "SC" || s == "ST"
}

// problems returns what is wrong with a single area on its own, without
// looking at any other area. ParseCSV and PlanImport both use it, so areas
// built in code get the same checks as areas read from a file.
func problems(a Area) []string {
	var p []string
	switch {
	case a.Code == "":
		p = append(p, "code is empty")
	case !ValidCode(a.Code):
		p = append(p, fmt.Sprintf("code %q is not valid (use A-Z, 0-9 and '-', not at either end, at most %d characters)", a.Code, maxCodeLen))
	}
	switch {
	case a.Kind == "":
		p = append(p, "kind is empty")
	case !kindPattern.MatchString(a.Kind):
		p = append(p, fmt.Sprintf("kind %q is not valid (use a-z, 0-9 and '_', starting with a letter)", a.Kind))
	}
	if strings.TrimSpace(a.NameEN) == "" {
		p = append(p, "name_en is empty")
	}
	if a.Number != "" && !numberPattern.MatchString(a.Number) {
		p = append(p, fmt.Sprintf("number %q is not valid (digits, optionally one capital letter, e.g. 123 or 123A)", a.Number))
	}
	if !validReservation(a.Reservation) {
		p = append(p, fmt.Sprintf("reservation %q is not one of GEN, SC, ST or empty", a.Reservation))
	}
	p = append(p, referenceProblems(a)...)
	return p
}

func referenceProblems(a Area) []string {
	var p []string
	if a.Parent != "" && !ValidCode(a.Parent) {
		p = append(p, fmt.Sprintf("parent %q is not a valid code", a.Parent))
	}
	if a.Parent != "" && a.Parent == a.Code {
		p = append(p, fmt.Sprintf("%s is its own parent", a.Code))
	}
	if a.District != "" && !ValidCode(a.District) {
		p = append(p, fmt.Sprintf("district %q is not a valid code", a.District))
	}
	return p
}

// cleanAliases trims, drops empty names and names equal to the area's own
// names, and removes duplicates, keeping the first occurrence's order.
func cleanAliases(names []string, own ...string) []string {
	var out []string
	for _, n := range names {
		n = strings.TrimSpace(n)
		if n == "" || slices.Contains(own, n) || slices.Contains(out, n) {
			continue
		}
		out = append(out, n)
	}
	return out
}

// sameContent reports whether two areas would be stored identically. Alias
// order is not significant, so a store returning them sorted still compares
// equal.
func sameContent(a, b Area) bool {
	return a.Code == b.Code && a.Kind == b.Kind && a.Number == b.Number &&
		a.NameEN == b.NameEN && a.NameLocal == b.NameLocal &&
		a.Reservation == b.Reservation && a.Parent == b.Parent &&
		a.District == b.District && sameSet(a.Aliases, b.Aliases) &&
		maps.Equal(a.Weights, b.Weights)
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}
