package logging

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// An error line never prints a phone number, however the error quotes
// it; a warning's free text neither. Other digits stay readable.
func TestErrorLinesMaskPhones(t *testing.T) {
	for _, format := range []string{"text", "json"} {
		var out bytes.Buffer
		log, err := New(&out, format, "info")
		if err != nil {
			t.Fatal(err)
		}
		ctx := WithRequestID(context.Background(), "0123456789abcdef")
		wrapped := fmt.Errorf("store: add person: %w", errors.New(`duplicate key (phone)=(+919876543210)`))
		log.ErrorContext(ctx, "request failed", "err", wrapped, "at", "2026-02-12 10:00:00")
		log.Warn("provider answered 400: To 09876543211 is not valid", "body", `{"to":"+91 98765 43212"}`)
		log.Info("sending", "err", errors.New("gateway refused 919876543213"), "count", 1234567)
		log.Error("send failed", "result", map[string]any{"to": "+14155550123"}, "dlt", "1101000000000000001")
		text := out.String()
		for _, digits := range []string{"9876543210", "09876543211", "98765 43212", "919876543213", "4155550123"} {
			if strings.Contains(text, digits) {
				t.Errorf("%s: %s is in the log:\n%s", format, digits, text)
			}
		}
		for _, kept := range []string{"+91 98xxxxxx10", "2026-02-12 10:00:00", "1234567", "1101000000000000001", "0123456789abcdef", "store: add person"} {
			if !strings.Contains(text, kept) {
				t.Errorf("%s: %q is missing from the log:\n%s", format, kept, text)
			}
		}
	}
}
