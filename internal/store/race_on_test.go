//go:build race

package store_test

// underRace is true in a build with the race detector.
const underRace = true
