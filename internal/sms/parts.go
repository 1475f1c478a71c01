package sms

import "strings"

// Encodings Parts reports.
const (
	GSM7 = "gsm7" // 7-bit default alphabet: 160 characters alone, 153 a part
	UCS2 = "ucs2" // UTF-16: 70 characters alone, 67 a part (Hindi, emoji)
)

// gsmBasic is the GSM 03.38 default alphabet; gsmExtended needs an escape, so
// each of its characters costs two septets.
const (
	gsmBasic = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?" +
		"¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
	gsmExtended = "\f^{}\\[~]|€"
)

// Parts says how text travels: GSM7 unless a character is outside the GSM
// alphabet, then UCS2, and how many parts (billed SMS) that takes. A long
// message loses room to the concatenation header, and a part never splits an
// escaped GSM character or a UTF-16 surrogate pair. Empty text is one part.
func Parts(text string) (encoding string, parts int) {
	units, ok := gsmUnits(text)
	if ok {
		return GSM7, pack(units, 160, 153)
	}
	return UCS2, pack(utf16Units(text), 70, 67)
}

// gsmUnits is the septets each character costs, or false if one is not GSM.
func gsmUnits(text string) ([]int, bool) {
	units := make([]int, 0, len(text))
	for _, r := range text {
		switch {
		case strings.ContainsRune(gsmBasic, r):
			units = append(units, 1)
		case strings.ContainsRune(gsmExtended, r):
			units = append(units, 2)
		default:
			return nil, false
		}
	}
	return units, true
}

func utf16Units(text string) []int {
	units := make([]int, 0, len(text))
	for _, r := range text {
		if r > 0xFFFF {
			units = append(units, 2)
		} else {
			units = append(units, 1)
		}
	}
	return units
}

// pack counts parts: all in one if they fit single, else greedily per part.
func pack(units []int, single, perPart int) int {
	total := 0
	for _, u := range units {
		total += u
	}
	if total <= single {
		return 1
	}
	parts, used := 1, 0
	for _, u := range units {
		if used+u > perPart {
			parts++
			used = 0
		}
		used += u
	}
	return parts
}
