package smstext_test

import (
	"strings"
	"testing"

	"github.com/jodo-org/jodo/internal/sms"
	"github.com/jodo-org/jodo/internal/smstext"
)

// The import notice's budgets docs/sms.md states, with a drive name and a
// source of 30 characters each (the most a variable holds): English in
// two parts with Latin letters, Hindi in three.
func TestImportNoticeParts(t *testing.T) {
	checkParts(t, smstext.ImportNotice, parts{"en": {sms.GSM7, 2}, "hi": {sms.UCS2, 3}}, strings.Repeat("w", 30), strings.Repeat("s", 30))
}
