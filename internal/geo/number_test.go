package geo

import (
	"slices"
	"testing"
)

func TestCompareNumbers(t *testing.T) {
	got := []string{"10", "2A", "", "1", "2B", "2", "02"}
	slices.SortStableFunc(got, CompareNumbers)
	if want := []string{"", "1", "2", "02", "2A", "2B", "10"}; !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}
