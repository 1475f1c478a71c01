package app_test

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// Hindi glossary (the review of every Hindi string, December 2026): one
// Hindi word per concept, in everything Jodo shows or sends in Hindi.

// replacedWords are the words the glossary replaced, each with the word to
// use instead.
var replacedWords = map[string]string{
	"संख्या":          "सदस्यता नंबर (membership number), कुल गिनती (counts)",
	"डेटा":            "जानकारी: डेटा reads as mobile data",
	"डाटा":            "जानकारी",
	"हटा":             "मिटाना: erase is always मिटाना",
	"रुको":            "“बंद”: रुको means wait",
	"सहमतियाँ":        "सहमति, also for the plural",
	"हिन्दी":          "हिंदी, one spelling",
	"सहेज":            "सेव करें / सेव हो गया",
	"सत्यापित":        "फ़ोन पक्का",
	"चिह्नित":         "बताए गए",
	"कूट":             "कोड में बदली हुई छाप",
	"पहचान":           "कोड में बदली हुई छाप: पहचान sounds like more is kept",
	"रुचि":            "दिलचस्पी",
	"पुष्टि":          "पक्का करना",
	"टैप":             "दबाएँ",
	"स्वयंसेवक":       "कार्यकर्ता",
	"पुराना हो गया":   "(का) समय ख़त्म हो गया: expired, not old",
	"गलत":             "ग़लत, with the nukta",
	"मान्य":           "N मिनट तक चलेगा (मान्य only in the DLT sign-in SMS, as bank OTPs say)",
	"दूसरा नंबर लें":  "दूसरा नंबर डालें: लें reads as get another SIM",
	"सदस्यता नहीं ले": "सदस्य नहीं बनाए जा रहे: सदस्यता लेना is to join",
}

// glossaryTerms must each be used somewhere: the glossary's words for what
// Jodo's texts talk about.
var glossaryTerms = []string{
	"जोड़ो", "अभियान", "सदस्यता नंबर", "सदस्यता कार्ड", "आयोजक", "निजी जानकारी", "सहमति", "वापस ले", "मिटा",
	"मिटाने के बाद जानकारी वापस नहीं आ सकती", "कुल गिनती", "कोड में बदली हुई छाप", "विधानसभा क्षेत्र", "ज़िले",
	"मतदान केंद्र (बूथ)", "अपनी मर्ज़ी से", "ज़रूरी", "मिस्ड कॉल", "लिंक", "लोकेशन", "साइन-इन कोड", "समय ख़त्म",
	"फ़ोन पक्का", "ख़बरें", "संदेश", "सेव करें", "दबाएँ", "“बंद”", "“मेरी जानकारी”", "“मिटाओ”", "“जुड़ें”", "“शुरू”", "“मदद”",
}

// allowedIn are replaced words a source may keep, with why.
var allowedIn = map[string][]string{
	"smstext/smstext.go": {"मान्य"}, // the registered DLT text, as every bank OTP says it
}

// typedWords are the sources whose Hindi is what people type or place
// names, not what Jodo says: they accept old and misspelt words on purpose.
var typedWords = []string{"bot/commands.go", "bot/join.go", "signin/", "areamatch/", "geo/"}

// Every glossary term is used, and no replaced word is left, in any Hindi
// catalog, template or Go literal, so a new string cannot bring one back.
func TestHindiFollowsTheGlossary(t *testing.T) {
	t.Parallel()
	texts := hindiTexts(t)
	all := strings.Join(slices.Collect(maps.Values(texts)), "\n")
	for _, term := range glossaryTerms {
		if !strings.Contains(all, term) {
			t.Errorf("glossary term %q is used nowhere", term)
		}
	}
	for source, text := range texts {
		for word, instead := range replacedWords {
			if strings.Contains(text, word) && !slices.Contains(allowedIn[strings.FieldsFunc(source, isSeparator)[0]], word) {
				t.Errorf("%s says %q; the glossary says %s:\n%s", source, word, instead, text)
			}
		}
	}
}

// hindiTexts are Jodo's Hindi texts by source: every value of the Hindi
// catalogs, the Hindi in the English catalogs and the templates, and every
// string literal in Devanagari in the Go code (SMS templates, card labels,
// error lines), minus typedWords.
func hindiTexts(t *testing.T) map[string]string {
	t.Helper()
	texts := map[string]string{}
	for _, p := range []string{"web/locales/hi.json", "web/locales/en.json", "bot/locales/hi.json", "bot/locales/en.json", "console/locales/hi.json", "console/locales/en.json", "demo/locales/hi.json", "demo/locales/en.json"} {
		var m map[string]string
		b, err := os.ReadFile("../" + p)
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		for id, v := range m {
			texts[p+"#"+id] = v
		}
	}
	devanagari := regexp.MustCompile(`[\p{Devanagari}][\p{Devanagari}\s“”(),.?!:/।-]*`)
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		source := strings.TrimPrefix(filepath.ToSlash(path), "../")
		switch {
		case strings.HasSuffix(path, ".html"):
			b, err := os.ReadFile(path)
			texts[source] = strings.Join(devanagari.FindAllString(string(b), -1), "\n")
			return err
		case strings.HasSuffix(path, ".go") && !strings.HasSuffix(path, "_test.go") && !typed(source):
			return goLiterals(path, source, texts)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return texts
}

var inDevanagari = regexp.MustCompile(`\p{Devanagari}`)

// goLiterals adds the string literals of a Go file that hold Devanagari.
func goLiterals(path, source string, texts map[string]string) error {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
	if err != nil {
		return err
	}
	ast.Inspect(f, func(n ast.Node) bool {
		if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING {
			if s, err := strconv.Unquote(lit.Value); err == nil && inDevanagari.MatchString(s) {
				texts[source+":"+strconv.Itoa(fset.Position(lit.Pos()).Line)] = s
			}
		}
		return true
	})
	return nil
}

// isSeparator ends a source's file name: "#id" in a catalog, ":line" in Go.
func isSeparator(r rune) bool { return r == '#' || r == ':' }

func typed(source string) bool {
	for _, p := range typedWords {
		if strings.HasPrefix(source, p) {
			return true
		}
	}
	return false
}
