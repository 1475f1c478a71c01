// Package phone owns turning phone numbers as providers send them into E.164
// and deciding whether a number is a mobile.
//
// github.com/nyaruka/phonenumbers (region IN) is the authority on both
// questions. The fast paths here exist because the intake hot path asks them
// tens of thousands of times a second, and they only ever answer when they
// are certain to give phonenumbers' answer; otherwise they defer to it. Tests
// and fuzzers hold them to that.
package phone
