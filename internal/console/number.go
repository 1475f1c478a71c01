package console

import "strconv"

// indian writes n with Indian digit grouping: the last three digits, then
// pairs (5,00,000; 1,23,45,678), as Hindi and Indian English both read it.
func indian(n int64) string {
	if n < 0 {
		return "-" + indian(-n)
	}
	s := strconv.FormatInt(n, 10)
	if len(s) <= 3 {
		return s
	}
	head, tail := s[:len(s)-3], s[len(s)-3:]
	out := ""
	for len(head) > 2 {
		out = "," + head[len(head)-2:] + out
		head = head[:len(head)-2]
	}
	return head + out + "," + tail
}
