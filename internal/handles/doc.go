// Package handles owns volunteers' social handles: the platforms Jodo knows,
// what people may paste for each (a name, "@name", a profile link, a phone
// number for WhatsApp) and the one normal form each is stored in, so that
// "unique per platform across the installation" can be a plain equality on
// the normal form. It also holds the list of languages volunteers work in.
//
// It is pure: no store, no network. Whether a handle exists on the platform
// is not checked; only that it has the platform's shape. docs/volunteers.md
// is the table people read, and a test keeps it equal to Platforms.
package handles
