package store

import (
	"cmp"
	"errors"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// routeCache keeps, on PostgreSQL, the drives owning each called number as
// a batch of calls last read them, so that the next batch routes its calls
// without a round trip. It is never trusted blindly: the statement that
// writes the calls checks, in the same snapshot, that each number's owners
// are still the drives and versions routed from (routeStamp), and writes
// nothing if one changed (errStaleRoutes: the entries go, and the
// transaction is retried with the owners read afresh). A drive's routing
// (window, time zone, root area, numbers) changes only with its version.
type routeCache struct {
	mu     sync.Mutex
	owners map[string][]ChannelDrive // kind NUL number → its owners, in channelDrives's order
}

// routeCacheMax bounds the cache: called numbers come from authenticated
// providers, but a drive has a handful of them.
const routeCacheMax = 1024

func routeKey(kind, number string) string { return kind + "\x00" + number }

// get returns the owners of all numbers, if every one is cached.
func (c *routeCache) get(kind string, numbers []string) ([]ChannelDrive, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	// In any order: the drives owning one number never have overlapping
	// windows (checkChannelOwners), so one at most holds a call.
	var out []ChannelDrive
	for _, n := range numbers {
		o, ok := c.owners[routeKey(kind, n)]
		if !ok {
			return nil, false
		}
		out = append(out, o...)
	}
	return out, true
}

// put keeps owners as the owners of numbers (each number's own; none for a
// number no drive owns).
func (c *routeCache) put(kind string, numbers []string, owners []ChannelDrive) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.owners == nil || len(c.owners)+len(numbers) > routeCacheMax {
		c.owners = map[string][]ChannelDrive{}
	}
	for _, n := range numbers {
		var mine []ChannelDrive
		for _, o := range owners {
			if o.Number == n {
				mine = append(mine, o)
			}
		}
		c.owners[routeKey(kind, n)] = mine
	}
}

func (c *routeCache) forget(kind string, numbers []string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, n := range numbers {
		delete(c.owners, routeKey(kind, n))
	}
}

// routeStamp names the owners of number among owners: their drives' ids
// and versions, by id ("" for none). The write's check computes the same
// from the tables.
func routeStamp(owners []ChannelDrive, number string) string {
	var mine []ChannelDrive
	for _, o := range owners {
		if o.Number == number {
			mine = append(mine, o)
		}
	}
	slices.SortFunc(mine, func(a, b ChannelDrive) int { return cmp.Compare(a.DriveID, b.DriveID) })
	parts := make([]string, len(mine))
	for i, o := range mine {
		parts[i] = strconv.FormatInt(o.DriveID, 10) + ":" + strconv.Itoa(o.Version)
	}
	return strings.Join(parts, ";")
}

// routeStampSQL is routeStamp of the number n.number on channels of kind
// $kind, read from the tables.
func routeStampSQL(kind string) string {
	return `COALESCE((SELECT string_agg(d.id || ':' || d.version, ';' ORDER BY d.id)
		FROM drive_channels c JOIN drives d ON d.id = c.drive_id WHERE c.kind = ` + kind + ` AND c.number = n.number), '')`
}

// errStaleRoutes: a batch's calls were routed from cached owners that
// changed since. Nothing was written; the transaction is retried whole.
var errStaleRoutes = errors.New("store: a called number's drives changed since they were read")
