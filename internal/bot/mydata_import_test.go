package bot_test

import (
	"context"
	"io"
	"strings"
	"testing"

	"github.com/jodo-org/jodo/internal/imports"
)

// MY DATA on WhatsApp says which import brought the person in, and the
// number its list gave them, as /me does (the chats here speak Hindi).
func TestMyDataNamesTheImport(t *testing.T) {
	w := newVolWorld(t)
	known := w.chat("919811100301") // in Jodo before the import: only filled in
	file := "phone,area,legacy_no\n+919811100301,JH-AC-063,JMM-0001\n+919811100302,JH-AC-063,JMM-0002\n"
	_, err := imports.New(w.db, []byte(benchSecret)).Run(context.Background(), imports.Request{DriveSlug: w.drive.Slug,
		FileName: "jmm.csv", Open: func() (io.ReadCloser, error) { return io.NopCloser(strings.NewReader(file)), nil },
		Source: "JMM app 2025", As: imports.AsMember, Actor: "cli:test"})
	if err != nil {
		t.Fatal(err)
	}
	texts, _ := known.say("my data")
	known.want("MY DATA of someone an import filled in", texts, nil, "उस सूची में आपका नंबर: JMM-0001")
	if strings.Contains(strings.Join(texts, ""), "JMM app 2025") {
		t.Errorf("MY DATA says an import brought in someone who came themselves: %q", texts)
	}
	brought := w.chat("919811100302")
	texts, _ = brought.say("my data")
	brought.want("MY DATA of someone an import brought in", texts, nil, "आपका नंबर हमें कहाँ से मिला: “JMM app 2025” से",
		"उस सूची में आपका नंबर: JMM-0002")
}
