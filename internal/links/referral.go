package links

import "strings"

// ReferralCodeLen is a referral code's length: 9 symbols of codeAlphabet,
// 44 bits. A join code has CodeLen (10), so the two are told apart by
// their length alone, without a lookup (docs/volunteers.md, Referrals).
const ReferralCodeLen = 9

// NewReferralCode draws a referral code.
func NewReferralCode() string { return randomString(codeAlphabet, ReferralCodeLen) }

// ParseReferralCode finds a referral code in a message or a path, as
// ParseJoinCode finds a join code: "JOIN K7M2Q9XRT", "k7m2q9xrt". It comes
// back upper case.
func ParseReferralCode(text string) (string, bool) {
	prev, first := "", ""
	for _, word := range asciiWords(text) {
		w := strings.ToUpper(word)
		c := ""
		switch {
		case isReferralCode(w):
			c = w
		case strings.HasPrefix(w, joinKeyword) && isReferralCode(w[len(joinKeyword):]):
			c, prev = w[len(joinKeyword):], joinKeyword
		}
		if c != "" && prev == joinKeyword {
			return c, true
		}
		if c != "" && first == "" {
			first = c
		}
		prev = w
	}
	return first, first != ""
}

func isReferralCode(s string) bool {
	if len(s) != ReferralCodeLen {
		return false
	}
	for i := range len(s) {
		if strings.IndexByte(codeAlphabet, s[i]) < 0 {
			return false
		}
	}
	return true
}
