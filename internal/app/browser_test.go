package app_test

import (
	"context"
	"testing"

	"github.com/jodo-org/jodo/internal/browsertest"
)

// newBrowser starts headless Chromium at a phone's width (360 px) for one
// test. Without Chromium the test skips, or fails under JODO_TEST_STRICT=1.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	return browsertest.New(t)
}
