package bot

import (
	"errors"
	"maps"
	"slices"
	"strings"

	"github.com/jodo-org/jodo/internal/handles"
	"github.com/jodo-org/jodo/internal/people"
	"github.com/jodo-org/jodo/internal/phone"
)

// handleLine is one "platform: handle" line as typed.
type handleLine struct {
	Platform string // a handles.Platforms code
	Input    string // what followed, trimmed
}

// parseHandleLines reads one line a handle: "instagram: @name", "fb
// facebook.com/name" (a platform's code, name or common short name, with
// or without a colon), or a bare profile link whose site names the
// platform. Lines it cannot place come back as unread.
func parseHandleLines(text string) (found []handleLine, unread []string) {
	for line := range strings.Lines(text) {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		if h, ok := readHandleLine(line); ok {
			found = append(found, h)
		} else {
			unread = append(unread, line)
		}
	}
	return found, unread
}

func readHandleLine(line string) (handleLine, bool) {
	if word, rest, ok := strings.Cut(line, ":"); ok {
		if platform, known := platformOf(word); known {
			return handleLine{platform, strings.TrimSpace(rest)}, true
		}
	}
	if word, rest, ok := strings.Cut(line, " "); ok {
		if platform, known := platformOf(word); known {
			return handleLine{platform, strings.TrimSpace(rest)}, true
		}
	}
	if !strings.Contains(line, "/") {
		return handleLine{}, false
	}
	for _, p := range handles.Platforms {
		var herr *handles.Error
		if _, err := handles.Normalise(p.Code, line); err == nil || (errors.As(err, &herr) && herr.Reason != handles.OtherSite) {
			return handleLine{p.Code, line}, true
		}
	}
	return handleLine{}, false
}

// platformOf is the platform a typed word names.
func platformOf(word string) (string, bool) {
	w := normalise(word)
	for _, p := range handles.Platforms {
		if w == p.Code || w == normalise(p.Name) {
			return p.Code, true
		}
	}
	code, ok := platformWords[w]
	return code, ok
}

// platformName is a platform's name as it writes itself.
func platformName(code string) string {
	if p, ok := handles.Lookup(code); ok {
		return p.Name
	}
	return code
}

// handlesPrompt asks for handles (full: how to write them), showing
// those kept so far.
func (t *turn) handlesPrompt(full bool) Reply {
	var text []string
	if full {
		names := make([]string, 0, len(handles.Platforms))
		for _, p := range handles.Platforms {
			names = append(names, p.Name)
		}
		text = append(text, t.tr("vol.handles", "Platforms", strings.Join(names, ", ")))
	}
	if kept := decodeHandles(t.st.Handles); len(kept) > 0 {
		var shown []string
		for _, platform := range slices.Sorted(maps.Keys(kept)) {
			shown = append(shown, platformName(platform)+": "+shownHandle(platform, kept[platform]))
		}
		text = append(text, t.tr("vol.handles.have", "Handles", strings.Join(shown, ", ")))
	}
	return Reply{Text: strings.Join(text, "\n\n"), Choices: []Option{{ID: "vh:done", Title: t.tr("vol.done")}}}
}

// shownHandle is a handle as the person is shown it: normalised, and a
// WhatsApp number masked as every phone number is.
func shownHandle(platform, h string) string {
	if n, err := handles.Normalise(platform, h); err == nil {
		h = n
	}
	if platform == "whatsapp" {
		return phone.Mask(h)
	}
	return h
}

// takeHandles keeps the handles typed that have their platform's shape,
// says what is wrong with the others, and finishes on Done.
func (t *turn) takeHandles() error {
	if (t.in.Kind == Choice && t.in.Choice == "vh:done") || (t.in.Kind == Text && t.isDone()) {
		return t.finishVolunteering()
	}
	if t.in.Kind != Text {
		return t.prompt()
	}
	found, unread := parseHandleLines(t.in.Text)
	for _, line := range unread {
		t.say("vol.handle.unread", "Text", cut(line, 40))
	}
	kept := decodeHandles(t.st.Handles)
	for _, h := range found {
		var herr *handles.Error
		if _, err := handles.Normalise(h.Platform, h.Input); errors.As(err, &herr) {
			t.sayHandleProblem(h.Platform, herr.Reason)
			continue
		} else if err != nil {
			return err
		}
		kept[h.Platform] = h.Input
	}
	t.st.Handles = encodeHandles(kept)
	if len(kept) == 0 {
		return t.prompt()
	}
	t.ask(t.handlesPrompt(false))
	return nil
}

// handleReasons are the reasons a handle is refused that have a text
// ("vol.handle.<reason>").
var handleReasons = []string{handles.Empty, handles.TooShort, handles.TooLong, handles.BadCharacters, handles.NotAProfile,
	handles.OtherSite, handles.InviteLink, handles.BadNumber, handles.UnknownPlatform, handles.PhoneNumber, people.ReasonTaken, people.ReasonNotYours}

func (t *turn) sayHandleProblem(platform, reason string) {
	if !slices.Contains(handleReasons, reason) {
		reason = handles.BadCharacters
	}
	t.say("vol.handle."+reason, "Platform", platformName(platform))
}

// decodeHandles reads the state's handle lines into platform → handle.
func decodeHandles(s string) map[string]string {
	out := map[string]string{}
	for line := range strings.SplitSeq(s, "\n") {
		if platform, h, ok := strings.Cut(line, ":"); ok {
			if _, known := handles.Lookup(platform); known {
				out[platform] = h
			}
		}
	}
	return out
}

// encodeHandles writes handles as the state keeps them, by platform.
func encodeHandles(hs map[string]string) string {
	lines := make([]string, 0, len(hs))
	for _, platform := range slices.Sorted(maps.Keys(hs)) {
		lines = append(lines, platform+":"+hs[platform])
	}
	return strings.Join(lines, "\n")
}
