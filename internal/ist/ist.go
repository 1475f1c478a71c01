// Package ist is India Standard Time, the one definition of it: the zone
// of Indian providers' zone-less times (Exotel, MyOperator), of the dates
// the member pages show, and of the days SMS budgets and sign-in codes are
// counted in. A drive's own calendar is its file's zone (drive.Zone), not
// this.
package ist

import (
	"time"

	// The zone must load on hosts and containers without a zoneinfo database.
	_ "time/tzdata"
)

// Zone is Asia/Kolkata: UTC+05:30 all year for every date Jodo handles,
// named as the drives and the providers' documentation name it.
var Zone = load()

func load() *time.Location {
	loc, err := time.LoadLocation("Asia/Kolkata")
	if err != nil {
		panic("ist: " + err.Error()) // unreachable: tzdata is embedded
	}
	return loc
}
