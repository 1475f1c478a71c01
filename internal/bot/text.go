package bot

import (
	"embed"

	"github.com/jodo-org/jodo/internal/locale"
)

//go:embed locales/*.json
var localeFiles embed.FS

// Languages the bot speaks, each catalog complete (a test checks). Adding
// one is adding locales/<tag>.json and its name to the language buttons.
var Languages = []string{"hi", "en"}

var catalog = locale.MustLoad(localeFiles, "locales", Languages)

// t is message id in lang, with pairs of template fields and values.
func t(lang, id string, pairs ...string) string {
	return catalog.Text(lang, id, pairs...)
}

func validLang(l string) bool { return l == "hi" || l == "en" }
