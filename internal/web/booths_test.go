package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"testing"

	"github.com/jodo-org/jodo/internal/geo"
)

// Booths are offered in roll order: an auxiliary booth ("2A") after its
// main booth, not before booth 1.
func TestBoothsInRollOrder(t *testing.T) {
	srv, link, _, db := linkWorld(t)
	var booths []geo.Area
	for _, no := range []string{"10", "2A", "1", "2"} {
		booths = append(booths, geo.Area{Code: "JH-AC-063-B-" + no, Kind: "booth", Number: no, NameEN: "Booth " + no, Parent: "JH-AC-063"})
	}
	if _, err := db.ImportAreas(context.Background(), geo.Importer(booths)); err != nil {
		t.Fatal(err)
	}
	form := url.Values{"lang": {"en"}, "consent_membership": {"yes"}, "age18": {"yes"}, "name": {"Sunita Devi"}, "ac": {"JH-AC-063"}}
	status, body, _ := post(t, srv, "/j/"+link.Token, form, nil)
	var got []string
	for _, m := range regexp.MustCompile(`value="JH-AC-063-B-([0-9A-Z]+)"`).FindAllStringSubmatch(body, -1) {
		got = append(got, m[1])
	}
	if want := []string{"1", "2", "2A", "10"}; status != http.StatusOK || !slices.Equal(got, want) {
		t.Errorf("status %d, booths %q, want %q", status, got, want)
	}
}
