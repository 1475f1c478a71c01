// Package access decides who may do what, and where: the one table of
// permissions by role (docs/access.md shows it; a test keeps the two the
// same), the actor of a request (a signed-in person with their roles, an
// API token, the command line) and the area scope each role is held over.
// A role is a set of permissions, not a rank; a district in a scope
// stands for its live ACs.
package access

import (
	"slices"
)

// Permission is one thing a role allows.
type Permission string

// The permissions. Public marks a route that needs no actor at all.
const (
	Public         Permission = "public"          // no actor needed (reference data such as areas)
	ProgressRead   Permission = "progress.read"   // drives, progress and counts in scope; no personal data
	PeopleRead     Permission = "people.read"     // find people in scope, their pages (numbers masked) and the audit entries about them
	PeopleReveal   Permission = "people.reveal"   // show one person's full number, with a reason, audited and capped per day
	PeopleRequests Permission = "people.requests" // correct a person's name and area in scope; record their erase or withdraw request, confirmed by a code sent to their phone
	PeopleIdentity Permission = "people.identity" // confirm a request of a person with no phone by a documented identity check instead of a code
	PostsWrite     Permission = "posts.write"     // appoint volunteers in scope to posts, vacate them
	GroupsManage   Permission = "groups.manage"   // mark volunteers' groups in scope invalid, with a reason
	GroupsInvite   Permission = "groups.invite"   // show one group's invite link in scope, with a reason, audited
	AuditRead      Permission = "audit.read"      // the whole audit log
	StaffManage    Permission = "staff.manage"    // grant and remove roles, make sign-in links
	DrivesWrite    Permission = "drives.write"    // drive settings and targets
	Tipline        Permission = "tipline"         // the fact-check desk (when it exists)
)

// Role is a named set of permissions.
type Role string

// The roles.
const (
	Admin       Role = "admin"
	Coordinator Role = "coordinator"
	FactChecker Role = "fact_checker"
	Viewer      Role = "viewer"
)

// Roles lists the roles in the table's order.
var Roles = []Role{Admin, Coordinator, FactChecker, Viewer}

// Permissions lists the permissions in the table's order (Public is not
// held: it is the absence of a need).
var Permissions = []Permission{ProgressRead, PeopleRead, PeopleReveal, PeopleRequests, PeopleIdentity, PostsWrite, GroupsManage, GroupsInvite, AuditRead, StaffManage, DrivesWrite, Tipline}

// Table is who may do what: the one place the code reads it.
var Table = map[Role][]Permission{
	Admin:       {ProgressRead, PeopleRead, PeopleReveal, PeopleRequests, PeopleIdentity, PostsWrite, GroupsManage, GroupsInvite, AuditRead, StaffManage, DrivesWrite, Tipline},
	Coordinator: {ProgressRead, PeopleRead, PeopleReveal, PeopleRequests, PostsWrite, GroupsManage},
	FactChecker: {ProgressRead, Tipline},
	Viewer:      {ProgressRead},
}

// Has reports whether role r carries permission p.
func (r Role) Has(p Permission) bool { return slices.Contains(Table[r], p) }

// ParseRole checks a role's name.
func ParseRole(name string) (Role, bool) {
	r := Role(name)
	_, ok := Table[r]
	return r, ok
}
