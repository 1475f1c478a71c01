// Package apperr defines Jodo's error codes. Every layer returns these codes;
// the HTTP layer translates them to status codes in one place.
package apperr

import (
	"errors"
	"fmt"
)

// Codes, as in CONVENTIONS.md §9.
const (
	Invalid      = "invalid"
	NotFound     = "not_found"
	Conflict     = "conflict"
	Unauthorized = "unauthorized"
	Forbidden    = "forbidden"
	RateLimited  = "rate_limited"
	Internal     = "internal"
)

// Error is an error a person can be shown: a code and a plain message.
type Error struct {
	Code    string
	Message string
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }

// New returns an *Error with a formatted message.
func New(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// CodeOf returns the code of the first *Error in err's chain, or Internal.
func CodeOf(err error) string {
	if e, ok := errors.AsType[*Error](err); ok {
		return e.Code
	}
	return Internal
}

// MessageOf returns the message meant for people; internal errors get a plain
// sentence rather than their details.
func MessageOf(err error) string {
	if e, ok := errors.AsType[*Error](err); ok {
		return e.Message
	}
	return "Something went wrong on our side. Please try again."
}
