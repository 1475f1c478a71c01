package logging

import (
	"fmt"
	"log/slog"
	"regexp"

	"github.com/jodo-org/jodo/internal/phone"
)

// phoneLike is what may be a phone number inside free text: 10 to 15
// digits standing alone, with or without "+" (E.164, a national number,
// a provider's raw "919876543210"), or an Indian number grouped 5 and 5.
// Longer digit runs (DLT ids, timestamps in nanoseconds) are not numbers.
var phoneLike = regexp.MustCompile(`(?:\+\d{1,3}[ -]?)?\b\d{5}[ -]\d{5}\b|\+?\b\d{10,15}\b`)

// maskPhones masks every phone-like run of s (phone.Mask), so an error
// that quotes a number (a provider's answer, a driver's message about a
// row) never prints it.
func maskPhones(s string) string {
	return phoneLike.ReplaceAllStringFunc(s, phone.Mask)
}

// maskAttr masks phone-like text in an error, and in any other value when
// all is set (warnings and errors, whose values are free text more often
// than not). Groups are masked throughout.
func maskAttr(a slog.Attr, all bool) slog.Attr {
	v := a.Value.Resolve()
	switch {
	case v.Kind() == slog.KindGroup:
		attrs := v.Group()
		masked := make([]any, len(attrs))
		for i, g := range attrs {
			masked[i] = maskAttr(g, all)
		}
		return slog.Group(a.Key, masked...)
	case v.Kind() == slog.KindString && all:
		return slog.String(a.Key, maskPhones(v.String()))
	case v.Kind() == slog.KindAny:
		if err, ok := v.Any().(error); ok {
			return slog.String(a.Key, maskPhones(err.Error()))
		}
		if all { // a map or struct: kept as it is unless it holds a number
			s := fmt.Sprint(v.Any())
			if m := maskPhones(s); m != s {
				return slog.String(a.Key, m)
			}
		}
	}
	return a
}

// maskRecord is r with phone-like text masked (maskAttr); a warning or an
// error has its message masked too.
func maskRecord(r slog.Record) slog.Record {
	all := r.Level >= slog.LevelWarn
	if !all && !hasFreeText(r) {
		return r // the request log: nothing to mask, nothing to copy
	}
	msg := r.Message
	if all {
		msg = maskPhones(msg)
	}
	out := slog.NewRecord(r.Time, r.Level, msg, r.PC)
	r.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(maskAttr(a, all))
		return true
	})
	return out
}

// hasFreeText reports whether r has an attribute maskAttr may change
// below warning level: an error, or a group that may hold one.
func hasFreeText(r slog.Record) bool {
	found := false
	r.Attrs(func(a slog.Attr) bool {
		k := a.Value.Kind()
		found = k == slog.KindGroup || k == slog.KindLogValuer || (k == slog.KindAny && isError(a.Value.Any()))
		return !found
	})
	return found
}

func isError(v any) bool {
	_, ok := v.(error)
	return ok
}
