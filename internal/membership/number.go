// Package membership owns membership numbers and the signed links that
// point at a member's card and verification page. It is pure: making a
// number unique (a unique index, a retry on collision) is the store's job.
package membership

import (
	"crypto/rand"
	"errors"
	"fmt"
	"strings"
)

// ErrInvalid is what every Parse failure matches with errors.Is.
var ErrInvalid = errors.New("membership: invalid number")

const (
	// alphabet is Crockford's base32: no I, L, O (read as 1, 1, 0) and no U.
	alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
	// checkAlphabet is Crockford's check alphabet: the value mod 37, with
	// *~$=U standing for 32 to 36.
	checkAlphabet = alphabet + "*~$=U"

	// dataLen random symbols of 5 bits: 50 bits, fewer than the 64 of a
	// uint64, so the value mod 37 needs no big arithmetic.
	dataLen = 10
	// Len is the length of a canonical number: the data and the check symbol.
	Len = dataLen + 1
)

// New returns a random membership number: ten symbols from crypto/rand and
// a check symbol. Numbers whose check symbol would be one of *~$=U are
// drawn again, so every number is plain letters and digits, safe in a URL
// path and an SMS template; that costs 5 of 37 draws, leaving 2^49.8
// possible numbers, so guessing a live one stays hopeless.
func New() string {
	buf := make([]byte, Len)
	for {
		rand.Read(buf[:dataLen])
		for i := range dataLen {
			buf[i] = alphabet[buf[i]&31] // 256 is a multiple of 32: unbiased
		}
		if c := checkSymbol(buf[:dataLen]); c < len(alphabet) {
			buf[dataLen] = alphabet[c]
			return string(buf)
		}
	}
}

// Format groups a canonical number for reading aloud and retyping:
// "ABCD-EFGH-JKX". Anything else comes back unchanged.
func Format(number string) string {
	if len(number) != Len {
		return number
	}
	return number[:4] + "-" + number[4:8] + "-" + number[8:]
}

// Parse reads a number as a person typed it: any case, with hyphens or
// spaces, with O for 0 and I or L for 1. It returns the canonical form
// (upper case, 11 symbols) once the check symbol agrees, so a mistyped
// symbol or two swapped neighbours are refused rather than looked up.
// A check symbol from *~$=U is refused too: New never issues one.
func Parse(s string) (string, error) {
	buf := make([]byte, 0, Len)
	for _, r := range s {
		switch {
		case r == '-' || r == ' ':
			continue
		case len(buf) == Len:
			return "", fmt.Errorf("%w: more than %d symbols", ErrInvalid, Len)
		}
		v, ok := symbolValue(r)
		if !ok {
			return "", fmt.Errorf("%w: not a Crockford base32 symbol", ErrInvalid)
		}
		buf = append(buf, alphabet[v])
	}
	if len(buf) != Len {
		return "", fmt.Errorf("%w: want %d symbols, got %d", ErrInvalid, Len, len(buf))
	}
	if checkAlphabet[checkSymbol(buf[:dataLen])] != buf[dataLen] {
		return "", fmt.Errorf("%w: check symbol does not match", ErrInvalid)
	}
	return string(buf), nil
}

// symbolValue decodes one symbol, folding case and Crockford's aliases.
// U is no symbol: it only ever stands for 36 as a check, and New never
// issues such numbers.
func symbolValue(r rune) (int, bool) {
	if r >= 'a' && r <= 'z' {
		r -= 'a' - 'A'
	}
	switch r {
	case 'O':
		r = '0'
	case 'I', 'L':
		r = '1'
	}
	if r > 'Z' {
		return 0, false
	}
	i := strings.IndexByte(alphabet, byte(r))
	return i, i >= 0
}

// checkSymbol is the index into checkAlphabet of the check symbol for
// data, canonical symbols: the number's value mod 37. 37 is prime and
// does not divide 32 or 31, so any one changed symbol and any two swapped
// neighbours change the remainder.
func checkSymbol(data []byte) int {
	var v uint64
	for _, c := range data {
		v = v<<5 | uint64(strings.IndexByte(alphabet, c))
	}
	return int(v % uint64(len(checkAlphabet)))
}
