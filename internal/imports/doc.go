// Package imports owns bringing existing people lists into a drive: the
// people file's columns and checks (Read), the merge rules that decide
// what each row does to people already known, loading in short chunks
// while a drive takes calls, counting once at the end, resuming an
// interrupted import, undoing one, and the notice imported people must
// get before any outreach. docs/import.md is its operator's guide.
package imports
