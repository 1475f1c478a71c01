package geo

import (
	"fmt"
	"sync"
)

// jharkhandACShapes parses the AC shapes once; Shapes is read-only, so every
// caller can share it.
var jharkhandACShapes = sync.OnceValues(func() (*Shapes, error) {
	return ParseShapes(JharkhandACGeoJSON(), jharkhandACCode)
})

// JharkhandACs returns the shipped AC shapes, located by AC code (JH-AC-063).
func JharkhandACs() (*Shapes, error) { return jharkhandACShapes() }

func jharkhandACCode(props map[string]any) (string, error) {
	v, ok := props["ac_no"].(float64)
	if !ok || v != float64(int(v)) || v < 1 || v > 999 {
		return "", fmt.Errorf("ac_no %v is not an AC number", props["ac_no"])
	}
	return acCode(int(v)), nil
}

// JharkhandACGeoJSON returns the embedded AC boundaries (a copy; callers may modify it).
func JharkhandACGeoJSON() []byte { return mustRead("jharkhand_ac.geojson") }

// JharkhandPCGeoJSON returns PC boundaries built by merging the AC shapes, so
// that ACs nest exactly inside PCs on a map (a copy).
func JharkhandPCGeoJSON() []byte { return mustRead("jharkhand_pc_from_ac.geojson") }

// JharkhandShapesNotice returns the MIT licence notice the AC shapes (and the
// PC shapes built from them) must be shipped with, for an about page.
func JharkhandShapesNotice() string { return string(mustRead("LICENSE-AC-SHAPES")) }

// mustRead reads an embedded file. The go:embed directive guarantees the
// files exist at build time, so a failure here is a broken build, not input.
func mustRead(name string) []byte {
	data, err := jharkhandFS.ReadFile(jharkhandDir + name)
	if err != nil {
		panic("geo: embedded file missing: " + err.Error())
	}
	return data
}
