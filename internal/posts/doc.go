// Package posts owns the office bearers of a drive: a coordinator appoints a
// volunteer to a post (a title the drive file lists, held at one kind of
// area) inside their scope, vacates it or replaces its holder, and every
// holding a person has ends when their volunteering, membership or data
// does (VacateAll). Each change is a guarded state change that moves the
// office_bearers counter at the post's area in the same transaction, and
// is audited; the rows keep the history. A post grants no permission.
//
// Appointing needs access.PostsWrite over the post's area and over the
// volunteer's own area; reading the org chart needs access.PeopleRead.
package posts
