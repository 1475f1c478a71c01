package bot

import (
	"slices"
	"strconv"
	"strings"

	"github.com/jodo-org/jodo/internal/handles"
)

// chosenLangs are the languages picked so far.
func (t *turn) chosenLangs() []string {
	if t.st.Langs == "" {
		return nil
	}
	return strings.Split(t.st.Langs, ",")
}

// languageName is a language's name in lang.
func languageName(l handles.Language, lang string) string {
	if lang == "hi" {
		return l.Hindi
	}
	return l.English
}

// languageNames are codes' names in lang.
func languageNames(codes []string, lang string) string {
	var names []string
	for _, c := range codes {
		if l, ok := handles.LanguageOf(c); ok {
			names = append(names, languageName(l, lang))
		}
	}
	return strings.Join(names, ", ")
}

// languagesPrompt numbers every language in the text (for typing) and
// lists those not picked yet, with Done first once one is.
func (t *turn) languagesPrompt() Reply {
	lang, chosen := t.speaking(), t.chosenLangs()
	var rows []Option
	if len(chosen) > 0 {
		rows = append(rows, Option{ID: "vl:done", Title: t.tr("vol.done"), Description: t.tr("vol.done.desc")})
	}
	list := make([]string, 0, len(handles.Languages))
	for i, l := range handles.Languages {
		list = append(list, strconv.Itoa(i+1)+" "+languageName(l, lang))
		if !slices.Contains(chosen, l.Code) {
			rows = append(rows, Option{ID: "vl:" + l.Code, Title: languageName(l, lang), Description: l.Native})
		}
	}
	text := t.tr("vol.langs", "List", strings.Join(list, "\n"))
	if len(chosen) > 0 {
		text += "\n\n" + t.tr("vol.langs.chosen", "Chosen", languageNames(chosen, lang))
	}
	return Reply{Text: text, Menu: t.tr("vol.langs.menu"), Choices: pageRows(lang, rows, t.st.Page)}
}

// chooseLanguages takes a tapped language, a page turn, typed numbers or
// names ("1 3 5", "hindi, santali"), or Done.
func (t *turn) chooseLanguages() error {
	chosen := t.chosenLangs()
	switch t.in.Kind {
	case Choice:
		if page, ok := pageOf(t.in.Choice); ok {
			t.st.Page = page
			return t.prompt()
		}
		if t.in.Choice == "vl:done" {
			return t.languagesDone(chosen)
		}
		if code, ok := strings.CutPrefix(t.in.Choice, "vl:"); ok {
			chosen = addLanguages(chosen, code)
		}
	case Text:
		if t.isDone() {
			return t.languagesDone(chosen)
		}
		codes, unread := parseLanguages(t.in.Text)
		if len(unread) > 0 {
			t.say("vol.langs.unclear", "Text", cut(strings.Join(unread, " "), 40))
		}
		chosen = addLanguages(chosen, codes...)
	}
	t.st.Langs, t.st.Page = strings.Join(chosen, ","), 0
	return t.prompt()
}

func (t *turn) languagesDone(chosen []string) error {
	if len(chosen) == 0 {
		t.say("vol.langs.none")
		return t.prompt()
	}
	return t.next(stepWA)
}

// isDone tells whether the text is "done" (or the Done button's title).
func (t *turn) isDone() bool {
	n := normalise(t.in.Text)
	return doneWords[n] || n == normalise(tr("hi", "vol.done")) || n == normalise(tr("en", "vol.done"))
}

// addLanguages adds the known codes not chosen yet, keeping the list's order.
func addLanguages(chosen []string, codes ...string) []string {
	var out []string
	for _, l := range handles.Languages {
		if slices.Contains(chosen, l.Code) || slices.Contains(codes, l.Code) {
			out = append(out, l.Code)
		}
	}
	return out
}

// languageWords are the words that name each language: its code and the
// words of its names, of two letters or more.
var languageWords = func() map[string]string {
	words := map[string]string{}
	for _, l := range handles.Languages {
		words[l.Code] = l.Code
		for _, name := range []string{l.English, l.Native, l.Hindi} {
			for _, w := range strings.Fields(normalise(name)) {
				if len([]rune(w)) > 1 {
					words[w] = l.Code
				}
			}
		}
	}
	return words
}()

// parseLanguages reads typed languages: numbers of the list (1-based) or
// names, separated by spaces or commas; what it cannot read comes back.
func parseLanguages(text string) (codes, unread []string) {
	for _, w := range strings.Fields(normalise(text)) {
		if n, err := strconv.Atoi(w); err == nil && n >= 1 && n <= len(handles.Languages) {
			codes = append(codes, handles.Languages[n-1].Code)
		} else if code, ok := languageWords[w]; ok {
			codes = append(codes, code)
		} else {
			unread = append(unread, w)
		}
	}
	return codes, unread
}
