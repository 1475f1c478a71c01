package sms

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/jodo-org/jodo/internal/send"
)

func TestLogWritesTheWholeMessage(t *testing.T) {
	var buf bytes.Buffer
	l := NewLog(&buf)
	m := send.Message{To: "+919876543210", Body: "जुड़ें: https://jodo.example.in/j/k3Xq9aZ", TemplateID: "1107", Ref: "outbox:7"}
	a, b := l.Send(context.Background(), m), l.Send(context.Background(), m)
	if a.Outcome != send.Accepted || !strings.HasPrefix(a.ProviderID, "log-") || a.ProviderID == b.ProviderID {
		t.Fatalf("Send = %+v then %+v", a, b)
	}
	out := buf.String()
	for _, want := range []string{a.ProviderID, "to=+919876543210", "template=1107", "ref=outbox:7", "ucs2/1 parts", m.Body} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

type brokenWriter struct{}

func (brokenWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestLogWriteFailureIsRejected(t *testing.T) {
	if res := NewLog(brokenWriter{}).Send(context.Background(), send.Message{Body: "x"}); res.Outcome != send.Rejected {
		t.Errorf("Send = %+v, want rejected", res)
	}
}
