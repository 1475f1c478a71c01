package imports

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jodo-org/jodo/internal/store"
)

// fakeAreas is a small tree: a drive rooted at JH-PC-08, with an AC and a
// booth in it, a retired AC in it, an AC outside it, and the wider areas.
var fakeAreas = map[string]store.Area{
	"JH":               {ID: 1, Code: "JH", Kind: "state", Path: "/IN/JH/"},
	"JH-PC-08":         {ID: 2, Code: "JH-PC-08", Kind: "pc", Path: "/IN/JH/JH-PC-08/"},
	"JH-DIST-01":       {ID: 3, Code: "JH-DIST-01", Kind: "district", Path: "/IN/JH/JH-DIST-01/"},
	"JH-AC-063":        {ID: 4, Code: "JH-AC-063", Kind: "ac", Path: "/IN/JH/JH-PC-08/JH-AC-063/"},
	"JH-AC-063-B-0001": {ID: 5, Code: "JH-AC-063-B-0001", Kind: "booth", Path: "/IN/JH/JH-PC-08/JH-AC-063/JH-AC-063-B-0001/"},
	"JH-AC-064":        {ID: 6, Code: "JH-AC-064", Kind: "ac", Path: "/IN/JH/JH-PC-08/JH-AC-064/", Retired: true},
	"JH-AC-001":        {ID: 7, Code: "JH-AC-001", Kind: "ac", Path: "/IN/JH/JH-PC-01/JH-AC-001/"},
}

func fakeArea(code string) (store.Area, bool) {
	a, ok := fakeAreas[code]
	return a, ok
}

func inFakeDrive(a store.Area) bool { return strings.HasPrefix(a.Path, "/IN/JH/JH-PC-08/") }

func TestMain(m *testing.M) {
	now = func() time.Time { return time.Date(2026, 12, 6, 20, 0, 0, 0, time.UTC) }
	os.Exit(m.Run())
}

// read reads a file as a member import, returning the rows each was given.
func read(t *testing.T, file string) ([]store.StagedRow, Check) {
	t.Helper()
	var rows []store.StagedRow
	check, err := Read(strings.NewReader(file), fakeArea, inFakeDrive, AsMember, func(r store.StagedRow) error {
		rows = append(rows, r)
		return nil
	})
	if err != nil {
		t.Fatalf("Read: %v", err)
	}
	if check.Rows != int64(len(rows)) {
		t.Errorf("Rows = %d, each was called %d times", check.Rows, len(rows))
	}
	return rows, check
}

const header = "phone,area\n"

// oneProblem reads a file and wants exactly one problem, on line and
// column, with a reason holding want.
func oneProblem(t *testing.T, file string, line int64, column, want string) {
	t.Helper()
	rows, check := read(t, file)
	if check.Bad != 1 || len(check.Problems) != 1 {
		t.Fatalf("%q: want one problem, got Bad %d: %+v", file, check.Bad, check.Problems)
	}
	p := check.Problems[0]
	if p.Line != line || p.Column != column || !strings.Contains(p.Reason, want) {
		t.Errorf("%q: got %+v, want line %d column %q reason with %q", file, p, line, column, want)
	}
	for _, r := range rows {
		if r.Line == line {
			t.Errorf("%q: line %d has a problem and came out as a row: %+v", file, line, r)
		}
	}
}

func TestReadRefusesEachProblemWithItsReason(t *testing.T) {
	for _, tc := range []struct {
		name, file   string
		line         int64
		column, want string
	}{
		{"bad phone", header + "12345,JH-AC-063\n", 2, "phone", "not a phone number"},
		{"letters in phone", header + "98765ABCDE,JH-AC-063\n", 2, "phone", "not a phone number"},
		{"no phone", header + ",JH-AC-063\n", 2, "phone", "no phone number"},
		{"excel", header + "9.19876E+11,JH-AC-063\n", 2, "phone", "Excel turned this number into 9.19876E+11; format the column as Text"},
		{"excel long", header + "9.19876543210E+11,JH-AC-063\n", 2, "phone", "Excel turned this number into 9.19876543210E+11"},
		{"excel lower", header + "9.87654e9,JH-AC-063\n", 2, "phone", "Excel turned"},
		{"unknown area", header + "9876543210,JH-AC-999\n", 2, "area", "no area has this code"},
		{"no area", header + "9876543210,\n", 2, "area", "no area code"},
		{"district", header + "9876543210,JH-DIST-01\n", 2, "area", "JH-DIST-01 is a district: members count in an assembly constituency or a booth, give the AC or booth code"},
		{"pc", header + "9876543210,JH-PC-08\n", 2, "area", "too wide, give the code of an AC or a booth"},
		{"state", header + "9876543210,JH\n", 2, "area", "JH is a state: too wide"},
		{"outside drive", header + "9876543210,JH-AC-001\n", 2, "area", "JH-AC-001 is outside this drive's area"},
		{"retired", header + "9876543210,JH-AC-064\n", 2, "area", "JH-AC-064 is retired"},
		{"duplicate phone", header + "9876543210,JH-AC-063\n9876543211,JH-AC-063\n+91 98765 43210,JH-AC-063\n", 4, "phone", "same phone as line 2"},
		{"too few fields", header + "9876543210\n", 2, "", "has 1 fields; the header has 2"},
		{"too many fields", header + "9876543210,JH-AC-063,x\n", 2, "", "has 3 fields; the header has 2"},
		{"invalid utf-8", "phone,area,name\n9876543210,JH-AC-063,Sun\xffita\n", 2, "", "not UTF-8"},
		{"bare quote", header + "98765\"43210,JH-AC-063\n", 2, "", "not readable as CSV"},
		{"missing column", "phone,name\n9876543210,Sunita\n", 1, "area", "no area column"},
		{"unknown column", "phone,area,email\n9876543210,JH-AC-063,a@b.in\n", 1, "email", "unknown column"},
		{"repeated column", "phone,area,Phone \n9876543210,JH-AC-063,9876543211\n", 1, "phone", "comes twice"},
		{"unnamed column", "phone,area,\n9876543210,JH-AC-063,\n", 1, "", "a column with no name"},
		{"empty file", "", 1, "", "the file is empty"},
		{"adult without evidence", "phone,area,adult\n9876543210,JH-AC-063,yes\n", 2, "adult", "adult: yes needs adult_evidence"},
		{"adult Hindi without evidence", "phone,area,adult,adult_evidence\n9876543210,JH-AC-063,हाँ,\n", 2, "adult", "adult: yes needs adult_evidence"},
		{"whatsapp without consent", "phone,area,whatsapp_optin\n9876543210,JH-AC-063,y\n", 2, "whatsapp_optin", "needs consent_evidence"},
		{"sms without consent", "phone,area,sms_optin,consent_evidence\n9876543210,JH-AC-063,1,\n", 2, "sms_optin", "needs consent_evidence"},
		{"bad yes/no", "phone,area,adult\n9876543210,JH-AC-063,maybe\n", 2, "adult", "yes or no"},
		{"bad date", "phone,area,consent_date\n9876543210,JH-AC-063,2026-02-30\n", 2, "consent_date", "a day that exists"},
		{"bad date form", "phone,area,consent_date\n9876543210,JH-AC-063,14 Nov 2026\n", 2, "consent_date", "YYYY-MM-DD"},
		{"future date", "phone,area,consent_date\n9876543210,JH-AC-063,08/12/2026\n", 2, "consent_date", "2026-12-08 is after today"},
		{"bad role", "phone,area,role\n9876543210,JH-AC-063,leader\n", 2, "role", "member or volunteer"},
		{"bad language", "phone,area,language\n9876543210,JH-AC-063,sat\n", 2, "language", "hi or en"},
		{"bad languages", "phone,area,languages\n9876543210,JH-AC-063,\"hi, klingon\"\n", 2, "languages", `"klingon" is not a language code`},
		{"long name", "phone,area,name\n9876543210,JH-AC-063," + strings.Repeat("क", 101) + "\n", 2, "name", "longer than 100"},
		{"long evidence", "phone,area,consent_evidence\n9876543210,JH-AC-063," + strings.Repeat("x", 201) + "\n", 2, "consent_evidence", "longer than 200"},
		{"long legacy", "phone,area,legacy_no\n9876543210,JH-AC-063," + strings.Repeat("9", 41) + "\n", 2, "legacy_no", "longer than 40"},
		{"unprintable legacy", "phone,area,legacy_no\n9876543210,JH-AC-063,A\x01B\n", 2, "legacy_no", "cannot be printed"},
	} {
		t.Run(tc.name, func(t *testing.T) { oneProblem(t, tc.file, tc.line, tc.column, tc.want) })
	}
}

// A bad header stops the reading: the rows under it are neither checked
// nor given, and every header problem is listed.
func TestReadStopsAtABadHeader(t *testing.T) {
	rows, check := read(t, "phone,email,email\n12345,x,y\n9876543210,a,b\n")
	if len(rows) != 0 {
		t.Errorf("rows came out under a bad header: %+v", rows)
	}
	var got []string
	for _, p := range check.Problems {
		if p.Line != 1 {
			t.Errorf("a header problem on line %d: %+v", p.Line, p)
		}
		got = append(got, p.Column)
	}
	if want := []string{"email", "email", "area"}; !slices.Equal(got, want) {
		t.Errorf("header problems on columns %q, want %q: %+v", got, want, check.Problems)
	}
}

func TestReadNormalisesEveryColumn(t *testing.T) {
	file := "\xef\xbb\xbf Phone ,AREA,Name,language,languages,role,adult,adult_evidence,consent_evidence,consent_date,whatsapp_optin,sms_optin,legacy_no\r\n" +
		"'09876543210,jh-ac-063,\"  Sunita   Devi \",Hindi,\"sck; hi,HI en\",,हां,Aadhaar seen,Signed form,14/11/2026,Y,नहीं,RJ-1\r\n" +
		"\r\n" +
		",,,,,,,,,,,,\r\n" +
		"+91 98765 43211,JH-AC-063-B-0001,Ramesh,अंग्रेज़ी,,Volunteer,NO,,Told on a call,2026-12-07,,TRUE,RJ 2\r\n" +
		"9876543212,JH-AC-063,,EN,,member,0,,form,06-12-2026,false,,\r\n"
	rows, check := read(t, file)
	if check.Bad != 0 {
		t.Fatalf("problems: %+v", check.Problems)
	}
	want := []store.StagedRow{
		{Line: 2, Phone: "+919876543210", Name: "Sunita Devi", AreaID: 4, Language: "hi", Languages: "hi en sck",
			Adult: true, AdultEvidence: "Aadhaar seen", ConsentEvidence: "Signed form", ConsentDate: "2026-11-14",
			WhatsAppOptIn: true, LegacyNo: "RJ-1"},
		{Line: 5, Phone: "+919876543211", Name: "Ramesh", AreaID: 5, Language: "en", Volunteer: true,
			ConsentEvidence: "Told on a call", ConsentDate: "2026-12-07", SMSOptIn: true, LegacyNo: "RJ 2"},
		{Line: 6, Phone: "+919876543212", AreaID: 4, Language: "en", ConsentEvidence: "form", ConsentDate: "2026-12-06"},
	}
	if !slices.Equal(rows, want) {
		t.Errorf("rows:\n got %+v\nwant %+v", rows, want)
	}
}

// A row with no role takes the import's.
func TestReadGivesRowsWithoutRoleTheImports(t *testing.T) {
	var got []bool
	_, err := Read(strings.NewReader("phone,area,role\n9876543210,JH-AC-063,\n9876543211,JH-AC-063,member\n"), fakeArea, inFakeDrive, AsVolunteer,
		func(r store.StagedRow) error { got = append(got, r.Volunteer); return nil })
	if err != nil {
		t.Fatal(err)
	}
	if want := []bool{true, false}; !slices.Equal(got, want) {
		t.Errorf("volunteer = %v, want %v", got, want)
	}
}

func TestReadListsTheFirstHundredProblemsAndCountsAll(t *testing.T) {
	var b strings.Builder
	b.WriteString(header)
	for range 250 {
		b.WriteString("12345,JH-AC-063\n")
	}
	b.WriteString("9876543210,JH-AC-063\n")
	rows, check := read(t, b.String())
	if check.Bad != 250 || len(check.Problems) != MaxProblems {
		t.Fatalf("Bad %d, listed %d; want 250 and %d", check.Bad, len(check.Problems), MaxProblems)
	}
	for i, p := range check.Problems {
		if p.Line != int64(i+2) {
			t.Fatalf("problem %d on line %d, want %d", i, p.Line, i+2)
		}
	}
	if len(rows) != 1 || rows[0].Line != 252 {
		t.Errorf("rows %+v, want the one good row on line 252", rows)
	}
}

func TestReadHashesTheFileBytes(t *testing.T) {
	for _, file := range []string{
		"\xef\xbb\xbfphone,area\n9876543210,JH-AC-063\n",
		"phone,area\n9876543210,JH-AC-063\n",
		"phone,email\n" + strings.Repeat("9876543210,x\n", 20000), // a bad header: the rest is hashed too
		"",
	} {
		_, check := read(t, file)
		sum := sha256.Sum256([]byte(file))
		if want := hex.EncodeToString(sum[:]); check.SHA256 != want {
			t.Errorf("SHA256 %s, want %s for %.30q", check.SHA256, want, file)
		}
	}
}

func TestReadStopsWhenEachFails(t *testing.T) {
	stop := errors.New("disk full")
	var b strings.Builder
	b.WriteString(header)
	for i := range 10 {
		b.WriteString("98765432" + strconv.Itoa(10+i) + ",JH-AC-063\n")
	}
	calls := 0
	check, err := Read(strings.NewReader(b.String()), fakeArea, inFakeDrive, AsMember, func(store.StagedRow) error {
		calls++
		if calls == 3 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || calls != 3 {
		t.Errorf("err %v after %d calls; want %v after 3", err, calls, stop)
	}
	if check.Rows != 2 {
		t.Errorf("Rows %d, want the 2 given before the failure", check.Rows)
	}
}

// The example file docs/import.md shows: three rows go in, and each of the
// other five is refused for the reason the guide gives.
func TestReadTheGuidesExample(t *testing.T) {
	b, err := os.ReadFile("testdata/example.csv")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := os.ReadFile("../../docs/import.md")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(doc), string(b)) {
		t.Errorf("docs/import.md does not show testdata/example.csv as it is")
	}
	rows, check := read(t, string(b))
	var lines []int64
	for _, r := range rows {
		lines = append(lines, r.Line)
	}
	if want := []int64{2, 3, 4}; !slices.Equal(lines, want) {
		t.Errorf("good lines %v, want %v", lines, want)
	}
	if rows[0].Name != "Sunita Devi" || rows[1].Languages != "hi sck" || rows[2].Phone != "+919876543212" {
		t.Errorf("rows %+v", rows)
	}
	var got []string
	for _, p := range check.Problems {
		got = append(got, strconv.FormatInt(p.Line, 10)+" "+p.Column)
		if !strings.Contains(string(doc), p.Reason) {
			t.Errorf("docs/import.md does not give line %d's reason %q", p.Line, p.Reason)
		}
	}
	if want := []string{"5 phone", "6 area", "7 adult", "8 phone", "9 sms_optin"}; !slices.Equal(got, want) {
		t.Errorf("problems on %q, want %q", got, want)
	}
}

// A language is found however the file writes it, a nukta letter typed as
// one character or as two.
func TestReadFindsLanguagesAsWritten(t *testing.T) {
	words := map[string]string{"HINDI": "hi", "हिंदी": "hi", "English": "en", "अंग्रेज़ी": "en", "अंग्रे\u095bी": "en", "En": "en"}
	for word, want := range words {
		rows, check := read(t, "phone,area,language\n9876543210,JH-AC-063,"+word+"\n")
		if check.Bad != 0 || len(rows) != 1 || rows[0].Language != want {
			t.Errorf("%q: rows %+v, problems %+v; want language %q", word, rows, check.Problems, want)
		}
	}
}
