package locale

// Name is a name as a page or message in lang gives it: the Hindi form
// (an area's or a drive's name_local) in Hindi when there is one, else the
// English name.
func Name(lang, en, hi string) string {
	if lang == "hi" && hi != "" {
		return hi
	}
	return en
}
