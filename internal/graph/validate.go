package graph

import (
	"fmt"
	"strings"
)

// checkButtons: 1–3 reply buttons with unique ids and titles. Meta refuses
// more; splitting a longer menu is the caller's choice, not this client's.
func checkButtons(buttons []Button) error {
	if len(buttons) == 0 || len(buttons) > maxButtons {
		return fmt.Errorf("%d buttons: a message takes 1 to %d", len(buttons), maxButtons)
	}
	ids, titles := map[string]bool{}, map[string]bool{}
	for i, b := range buttons {
		n := fmt.Sprintf("button %d", i+1)
		if err := first(within(n+" id", b.ID, 1, maxButtonID), within(n+" title", b.Title, 1, maxButtonTitle)); err != nil {
			return err
		}
		if ids[b.ID] || titles[b.Title] {
			return fmt.Errorf("%s repeats an id or title", n)
		}
		ids[b.ID], titles[b.Title] = true, true
	}
	return nil
}

// checkSections: up to 10 sections and 10 rows across them all, row ids
// unique in the list, and a title on every section when there are several.
// Paging a longer list is the caller's job.
func checkSections(sections []Section) error {
	if len(sections) == 0 || len(sections) > maxSections {
		return fmt.Errorf("%d sections: a list takes 1 to %d", len(sections), maxSections)
	}
	rows := 0
	for _, s := range sections {
		rows += len(s.Rows)
	}
	if rows > maxRows {
		return fmt.Errorf("%d rows: a list takes at most %d across its sections", rows, maxRows)
	}
	ids := map[string]bool{}
	for i, s := range sections {
		n := fmt.Sprintf("section %d", i+1)
		if err := checkSection(n, s, len(sections) > 1); err != nil {
			return err
		}
		for j, r := range s.Rows {
			if ids[r.ID] {
				return fmt.Errorf("%s row %d repeats id %q", n, j+1, r.ID)
			}
			ids[r.ID] = true
		}
	}
	return nil
}

func checkSection(name string, s Section, titled bool) error {
	minTitle := 0
	if titled {
		minTitle = 1
	}
	if err := within(name+" title", s.Title, minTitle, maxSectionTitle); err != nil {
		return err
	}
	if len(s.Rows) == 0 {
		return fmt.Errorf("%s has no rows", name)
	}
	for j, r := range s.Rows {
		n := fmt.Sprintf("%s row %d", name, j+1)
		if err := first(within(n+" id", r.ID, 1, maxRowID), within(n+" title", r.Title, 1, maxRowTitle),
			within(n+" description", r.Description, 0, maxRowDesc)); err != nil {
			return err
		}
	}
	return nil
}

// checkParams: Meta refuses empty template parameters, and body parameters
// holding a newline, a tab or more than four spaces in a row.
func checkParams(params, payloads []string) error {
	for i, p := range params {
		n := fmt.Sprintf("template parameter %d", i+1)
		if err := within(n, p, 1, 32768); err != nil {
			return err
		}
		if strings.ContainsAny(p, "\n\t") || strings.Contains(p, "     ") {
			return fmt.Errorf("%s holds a newline, a tab or more than four spaces in a row", n)
		}
	}
	for i, p := range payloads {
		if p == "" {
			return fmt.Errorf("quick-reply payload %d is empty", i+1)
		}
	}
	return nil
}
