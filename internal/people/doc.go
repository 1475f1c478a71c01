// Package people owns what happens to a person, written once for every
// channel: registering as a member (Register, RegisterByLink, JoinByPhone),
// refusing someone under 18 (RefuseUnder18, RefuseByLink, ForgetIfRefused),
// erasure at the person's request (Erase), consent given or withdrawn
// (ChangeConsent), the membership ended (EndMembership), messages stopped
// and started again from a chat (StopMessages, StartMessages), details
// corrected (CorrectDetails), what Jodo holds
// about them (MyData), and folding a chat into the lead a join code names
// (UseJoinCode). Each use-case runs in the caller's transaction; what a
// person asks for themselves (consent changes, erasure, corrections,
// viewing their data, ending a membership) is audited there. Joining and
// refusal are not: their consents and suppressions are the record.
//
// What belongs where:
//   - here: the rules and the order of a use-case — who may be merged,
//     what a channel proves, which suppression an erasure leaves, what is
//     audited. No SQL, no HTTP, no message texts.
//   - package store: rows and SQL, one function an operation on rows
//     (store.ErasePersonalData knows which columns hold personal data;
//     when to call it, and what to keep of the phone, is decided here).
//   - the channel packages (web, bot, later the console and the CLI): the
//     wire and the page — parsing forms and messages, validating what a
//     person typed, rendering, sessions, conversation state — and one call
//     here for the use-case.
//
// Membership numbers and the signed card links stay in package
// membership: they are pure values that pages and the card draw without
// the database.
package people
