package phone

import "errors"

// ErrInvalid is what every Normalize failure matches with errors.Is.
var ErrInvalid = errors.New("phone: invalid number")

// InvalidError says why a number was refused. It leaves the number itself
// out of its message, because error messages end up in logs.
type InvalidError struct {
	Reason string // "empty", "not a number", "too short", …
}

func (e *InvalidError) Error() string { return "phone: invalid number: " + e.Reason }

// Unwrap makes errors.Is(err, ErrInvalid) hold.
func (e *InvalidError) Unwrap() error { return ErrInvalid }

func invalid(reason string) error { return &InvalidError{Reason: reason} }
