package api_test

import (
	"net/http"
	"slices"
	"testing"

	"github.com/jodo-org/jodo/internal/drive/drivetest"
	"github.com/jodo-org/jodo/internal/store/storetest"
)

// A drive over one AC, beside the reference drive over the state.
const acDrive = `{
  "version": 1, "slug": "ac-40", "name": "AC 40 drive",
  "starts_on": "2026-02-12", "ends_on": "2026-03-13", "timezone": "Asia/Kolkata", "root_area": "JH-AC-040",
  "channels": [{"kind": "missed_call", "number": "1800 000 0001"}], "targets": []
}`

// A token lists the drives whose area meets its scope: rooted inside it,
// or covering one of its areas. A token for AC 63 sees the state drive
// (whose progress it may read for AC 63 only), never AC 40's drive.
func TestDrivesListIsScoped(t *testing.T) {
	db := storetest.Open(t, nil)
	drivetest.Load(t, db, nil, referenceDrive, acDrive)
	w := &progressWorld{db: db, base: startAPI(t, db).URL}
	for _, tc := range []struct {
		areas []string
		want  []string
	}{
		{[]string{"JH-AC-063"}, []string{"jh-warriors"}},
		{[]string{"JH-AC-040"}, []string{"ac-40", "jh-warriors"}},
		{[]string{"JH"}, []string{"ac-40", "jh-warriors"}},
		{[]string{"JH-PC-08"}, []string{"jh-warriors"}},
		{[]string{"JH-D-RANCHI"}, []string{"jh-warriors"}},
	} {
		req, _ := http.NewRequest("GET", w.base+"/api/v1/drives", nil)
		req.Header.Set("Authorization", "Bearer "+w.token(t, tc.areas[0], tc.areas...))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var out struct {
			Drives []struct{ Slug string } `json:"drives"`
		}
		decodeJSON(t, resp, &out)
		resp.Body.Close()
		var got []string
		for _, d := range out.Drives {
			got = append(got, d.Slug)
		}
		slices.Sort(got)
		if !slices.Equal(got, tc.want) {
			t.Errorf("token over %v lists %v, want %v", tc.areas, got, tc.want)
		}
	}
}
