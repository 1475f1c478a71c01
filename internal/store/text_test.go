package store

import (
	"net/url"
	"testing"
)

// StorableQuery answers as StorableValues of the parsed query does.
func FuzzStorableQuery(f *testing.F) {
	for _, s := range []string{"", "a=1&b=2", "CallFrom=09876543210&digits=%221%22&Created=2026-12-07+10%3A00%3A00",
		"a=%00", "a=%ff", "%ff=1", "a=%e0%a4", "a=%e0%a4%85", "a;b=%00", "a=%zz%00&b=%00", "a=\xff", "&&=&a=%2", "k%3D%00=v"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		vs, _ := url.ParseQuery(raw)
		if got, want := StorableQuery(raw), StorableValues(vs); got != want {
			t.Errorf("StorableQuery(%q) = %v, StorableValues of its values %v (%q)", raw, got, want, vs)
		}
	})
}
