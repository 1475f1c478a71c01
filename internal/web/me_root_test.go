package web_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/jodo-org/jodo/internal/drive/drivetest"
	"github.com/jodo-org/jodo/internal/store"
	"github.com/jodo-org/jodo/internal/store/storetest"
)

// A member in no drive chooses their AC among the loaded geography's (the
// shipped Jharkhand: its ACs); with no geography loaded the page still
// shows, with nothing to choose.
func TestMemberInNoDriveChoosesFromTheGeography(t *testing.T) {
	for _, loaded := range []bool{true, false} {
		db := storetest.Open(t, nil)
		if loaded {
			drivetest.Load(t, db, nil)
		}
		var person int64
		err := db.Update(context.Background(), func(tx *store.Tx) (err error) {
			person, err = store.CreatePerson(context.Background(), tx, store.Person{Name: "Sunita Devi", Language: "en"})
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		srv := signedInServer(db, person)
		resp, err := http.Get(srv.URL + "/me?lang=en")
		if err != nil {
			t.Fatal(err)
		}
		page, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		srv.Close()
		if offered := strings.Contains(string(page), `value="JH-AC-063"`); resp.StatusCode != http.StatusOK || offered != loaded {
			t.Errorf("geography loaded %v: /me answered %d, offers JH-AC-063: %v", loaded, resp.StatusCode, offered)
		}
	}
}
