package app_test

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// docLine is where a command or URL was shown, for the failure message.
type docLine struct {
	file string
	line int
}

func (d docLine) String() string { return fmt.Sprintf("%s:%d", d.file, d.line) }

// docCommand is a `jodo …` line of a code block: its arguments, the file
// its output is redirected to (if any) and the output shown under a `$ `
// prompt (if any).
type docCommand struct {
	at       docLine
	text     string
	args     []string
	redirect string
	want     []string
}

// docURL is a local path the docs show, with the method they name ("" when
// they name none).
type docURL struct {
	at     docLine
	method string
	path   string
}

var (
	commandPrefixes = []string{"go run ./cmd/jodo ", "./jodo ", "jodo "}
	loopbackURL     = regexp.MustCompile("http://127\\.0\\.0\\.1:8080(/[^\\s'\"`)<>]*)?")
	inlinePath      = regexp.MustCompile("`((?:GET|POST|GET/POST) )?(/[^`]*)`")
)

// docFile is one Markdown file of the docs, by lines.
type docFile struct {
	name  string
	lines []string
}

// readDocs reads docs/*.md and README.md from the repository root.
func readDocs(t *testing.T) []docFile {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("..", "..", "docs", "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	var docs []docFile
	for _, f := range append(files, filepath.Join("..", "..", "README.md")) {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		rel, _ := filepath.Rel(filepath.Join("..", ".."), f)
		docs = append(docs, docFile{rel, strings.Split(string(b), "\n")})
	}
	if len(docs) < 2 {
		t.Fatalf("found %d doc files; is the repository root two folders up?", len(docs))
	}
	return docs
}

// docCommands returns every jodo command shown in a fenced or indented
// block of lines.
func docCommands(file string, lines []string) []docCommand {
	var cmds []docCommand
	fenced, indented, collecting := false, false, false
	for i, line := range lines {
		if strings.HasPrefix(line, "```") {
			fenced, collecting = !fenced, false
			continue
		}
		indented = strings.HasPrefix(line, "    ") && (indented || i == 0 || strings.TrimSpace(lines[i-1]) == "")
		if !fenced && !indented {
			collecting = false
			continue
		}
		text := strings.TrimSpace(line)
		prompt := strings.HasPrefix(text, "$ ")
		text = strings.TrimPrefix(text, "$ ")
		cmd, ok := parseCommand(text)
		switch {
		case ok:
			cmd.at = docLine{file, i + 1}
			if prompt {
				cmd.want = []string{}
			}
			cmds = append(cmds, cmd)
			collecting = prompt
		case prompt:
			collecting = false
		case collecting && text != "" && text != "…":
			last := &cmds[len(cmds)-1]
			last.want = append(last.want, text)
		}
	}
	return cmds
}

// parseCommand splits a shell line that runs jodo into its arguments, as sh
// would for the quoting the docs use, dropping a trailing comment.
func parseCommand(text string) (docCommand, bool) {
	rest, ok := "", false
	for _, p := range commandPrefixes {
		if rest, ok = strings.CutPrefix(text, p); ok {
			break
		}
	}
	if !ok {
		return docCommand{}, false
	}
	cmd := docCommand{text: text}
	var word strings.Builder
	inWord, quote := false, rune(0)
	flush := func() {
		if inWord {
			cmd.args = append(cmd.args, word.String())
		}
		word.Reset()
		inWord = false
	}
scan:
	for _, r := range rest {
		switch {
		case quote != 0 && r == quote:
			quote = 0
		case quote != 0:
			word.WriteRune(r)
		case r == '\'' || r == '"':
			quote, inWord = r, true
		case r == '#' && !inWord:
			break scan
		case r == ' ' || r == '\t':
			flush()
		default:
			word.WriteRune(r)
			inWord = true
		}
	}
	flush()
	cmd = cmd.withRedirect()
	return cmd, len(cmd.args) > 0
}

// withRedirect moves a trailing `> FILE` out of the arguments.
func (c docCommand) withRedirect() docCommand {
	if n := len(c.args); n >= 2 && c.args[n-2] == ">" {
		c.redirect, c.args = c.args[n-1], c.args[:n-2]
	}
	return c
}

// docURLs returns every local URL a line shows: loopback URLs anywhere,
// and inline code that starts with a path (after GET or POST, if any).
func docURLs(file string, lines []string) []docURL {
	var urls []docURL
	for i, line := range lines {
		at := docLine{file, i + 1}
		for _, m := range loopbackURL.FindAllStringSubmatch(line, -1) {
			urls = append(urls, docURL{at: at, path: "/" + strings.TrimPrefix(m[1], "/")})
		}
		for _, m := range inlinePath.FindAllStringSubmatch(line, -1) {
			urls = append(urls, docURL{at: at, method: strings.TrimSpace(m[1]), path: m[2]})
		}
	}
	return urls
}
