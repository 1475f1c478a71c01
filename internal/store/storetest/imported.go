package storetest

import (
	"context"
	"testing"

	"github.com/jodo-org/jodo/internal/store"
)

// ImportWorld is a drive ("imported", root JH) over one assembly
// constituency, JH-AC-063, for imports to load people into.
type ImportWorld struct {
	DB    *store.DB
	Drive int64
	AC    int64
}

// NewImportWorld makes the world's areas and drive in db.
func NewImportWorld(t testing.TB, db *store.DB) ImportWorld {
	t.Helper()
	w := ImportWorld{DB: db}
	err := db.Update(context.Background(), func(tx *store.Tx) error {
		ctx, now := context.Background(), tx.Now.UnixMilli()
		var state int64
		err := sqlOf(tx).QueryRowContext(ctx, `INSERT INTO areas (code, kind, name_en, path, created_at, updated_at)
			VALUES ('JH', 'state', 'Jharkhand', '/JH/', $1, $1) RETURNING id`, now).Scan(&state)
		if err != nil {
			return err
		}
		err = sqlOf(tx).QueryRowContext(ctx, `INSERT INTO areas (code, kind, number, name_en, parent_code, path, created_at, updated_at)
			VALUES ('JH-AC-063', 'ac', '63', 'Ranchi', 'JH', '/JH/JH-AC-063/', $1, $1) RETURNING id`, now).Scan(&w.AC)
		if err != nil {
			return err
		}
		return sqlOf(tx).QueryRowContext(ctx, `INSERT INTO drives (slug, name, name_local, starts_on, ends_on, timezone, root_area_id,
				version, file, created_at, updated_at)
			VALUES ('imported', 'Jharkhand members', 'झारखंड सदस्यता', '2026-02-12', '2026-03-12', 'Asia/Kolkata', $1, 1, '{}', $2, $2)
			RETURNING id`, state, now).Scan(&w.Drive)
	})
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// ImportRow is a person an import brings in as a member of the world's
// drive, at its AC, with the opt-ins the file recorded.
type ImportRow struct {
	Phone, Name, Language, LegacyNo string
	WhatsApp, SMS                   bool
}

// Import runs a whole import of rows through the store, as jodo import
// does (create, stage, load in one chunk, finish), and returns its id and
// the people it created by phone.
func (w ImportWorld) Import(t testing.TB, source string, rows ...ImportRow) (int64, map[string]int64) {
	t.Helper()
	ctx := context.Background()
	var id int64
	people := map[string]int64{}
	err := w.DB.Update(ctx, func(tx *store.Tx) error {
		var err error
		id, err = store.CreateImport(ctx, tx, store.Import{DriveID: w.Drive, FileName: "people.csv", SHA256: "5eed", Source: source,
			As: "member", Actor: "cli:test", Day: tx.Now.Format("2006-01-02")})
		if err != nil {
			return err
		}
		staged := make([]store.StagedRow, len(rows))
		chunk := store.ImportChunk{ImportID: id, DriveID: w.Drive, Through: int64(len(rows) + 1), New: int64(len(rows))}
		for i, r := range rows {
			staged[i] = store.StagedRow{Line: int64(i + 2), Phone: r.Phone, Name: r.Name, AreaID: w.AC, Language: r.Language,
				Adult: true, AdultEvidence: "form", ConsentEvidence: "signed form", WhatsAppOptIn: r.WhatsApp, SMSOptIn: r.SMS,
				LegacyNo: r.LegacyNo}
			chunk.People = append(chunk.People, store.ImportedPerson{Line: staged[i].Line, Phone: r.Phone, Name: r.Name,
				Language: r.Language, AreaID: w.AC, LegacyNo: r.LegacyNo, Join: true, Registered: true, Consents: w.consents(id, r)})
		}
		if err := store.StageRows(ctx, tx, id, staged); err != nil {
			return err
		}
		if err := store.StartLoading(ctx, tx, id, int64(len(rows))); err != nil {
			return err
		}
		if err := store.LoadImportChunk(ctx, tx, chunk); err != nil {
			return err
		}
		if _, err := store.FinishImport(ctx, tx, id); err != nil {
			return err
		}
		phones := make([]string, len(rows))
		for i, r := range rows {
			phones[i] = r.Phone
		}
		matched, err := store.MatchPhones(ctx, tx, w.Drive, phones, false)
		for phone, m := range matched {
			people[phone] = m.PersonID
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return id, people
}

// consents are what an import grants a member with r's opt-ins.
func (ImportWorld) consents(id int64, r ImportRow) []store.Consent {
	purposes := []string{store.PurposeMembership}
	if r.WhatsApp {
		purposes = append(purposes, store.PurposeWhatsApp)
	}
	if r.SMS {
		purposes = append(purposes, store.PurposeSMS)
	}
	out := make([]store.Consent, len(purposes))
	for i, p := range purposes {
		out[i] = store.Consent{Purpose: p, NoticeVersion: "import", Language: r.Language, Channel: store.ChannelImport,
			Evidence: store.ImportEvidence(id) + "signed form"}
	}
	return out
}

// NoticeOf is the person's import notice; ok false when they have none.
func NoticeOf(t testing.TB, db *store.DB, person int64) (n store.ImportNotice, ok bool) {
	t.Helper()
	err := db.View(context.Background(), func(tx *store.Tx) error {
		var err error
		n, ok, err = store.NoticeOf(context.Background(), tx, person)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return n, ok
}
