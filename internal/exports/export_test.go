package exports

// SetPage makes e read n rows a transaction, so that a test of a few rows
// crosses pages.
func SetPage(e *Exports, n int) { e.page = n }
