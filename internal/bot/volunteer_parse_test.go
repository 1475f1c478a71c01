package bot

import (
	"slices"
	"strings"
	"testing"

	"github.com/jodo-org/jodo/internal/handles"
)

// Handle lines are read with a platform's code, name or short name before
// them, with or without a colon, or as a bare profile link; anything else
// comes back unread, never guessed.
func TestParseHandleLines(t *testing.T) {
	found, unread := parseHandleLines("Instagram: @ravi\n fb  facebook.com/ravi \n\nhttps://x.com/ravi_k\nइंस्टाग्राम: raviJH\n" +
		"https://example.com/ravi\nmyspace: ravi\nravi\nwa: +91 98111 00101\r\n")
	want := []handleLine{{"instagram", "@ravi"}, {"facebook", "facebook.com/ravi"}, {"x", "https://x.com/ravi_k"},
		{"instagram", "raviJH"}, {"whatsapp", "+91 98111 00101"}}
	if !slices.Equal(found, want) {
		t.Errorf("found %q, want %q", found, want)
	}
	if wantUnread := []string{"https://example.com/ravi", "myspace: ravi", "ravi"}; !slices.Equal(unread, wantUnread) {
		t.Errorf("unread %q, want %q", unread, wantUnread)
	}
}

// Typed languages are the list's numbers or any of their names.
func TestParseLanguages(t *testing.T) {
	codes, unread := parseLanguages("1, 3 हिंदी Sadri khortha 13 0 klingon")
	if want := []string{"hi", "sat", "hi", "sck", "x-khortha"}; !slices.Equal(codes, want) {
		t.Errorf("codes %q, want %q", codes, want)
	}
	if want := []string{"13", "0", "klingon"}; !slices.Equal(unread, want) {
		t.Errorf("unread %q, want %q", unread, want)
	}
}

// What a person types as handles is outside input: every line is placed
// or returned, once, trimmed, on a known platform, and what the state
// keeps of it reads back the same.
func FuzzHandleLines(f *testing.F) {
	for _, s := range []string{"instagram: @ravi\nfb ravi", "https://www.youtube.com/@ravi", "wa.me/919811100101", ":", "x:\n:x",
		"linkedin linkedin.com/in/ravi\r\n", "\x00: \xff", "ट्विटर: @रवि", "https://chat.whatsapp.com/abc"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		found, unread := parseHandleLines(text)
		lines := 0
		for line := range strings.Lines(text) {
			if strings.TrimSpace(line) != "" {
				lines++
			}
		}
		if len(found)+len(unread) != lines {
			t.Fatalf("%q: %d found and %d unread of %d lines", text, len(found), len(unread), lines)
		}
		kept := map[string]string{}
		for _, h := range found {
			if _, ok := handles.Lookup(h.Platform); !ok {
				t.Fatalf("%q: platform %q", text, h.Platform)
			}
			if h.Input != strings.TrimSpace(h.Input) || strings.Contains(h.Input, "\n") {
				t.Fatalf("%q: input %q not one trimmed line", text, h.Input)
			}
			if strings.TrimSpace(h.Input) != "" {
				kept[h.Platform] = h.Input
			}
		}
		if back := decodeHandles(encodeHandles(kept)); len(back) != len(kept) {
			t.Fatalf("%q: kept %q read back as %q", text, kept, back)
		} else {
			for p, h := range kept {
				if back[p] != h {
					t.Fatalf("%q: kept %q read back as %q", text, kept, back)
				}
			}
		}
		parseLanguages(text)
	})
}
