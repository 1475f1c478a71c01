package chart

import (
	"bytes"
	"html/template"
)

// MapArea is one area on a choropleth map.
type MapArea struct {
	Code  string
	Href  string         // drill-down link ("" for none)
	Title string         // shown on hover (<title>) and as the link's accessible name: "Ranchi (JH-PC-08): 62.0%"
	Class string         // fill class chosen by the caller, e.g. "b0".."b4", "none"; the CSS colours it
	Rings [][][2]float64 // polygons' rings, [lon, lat] (WGS84), outer rings and holes; fill-rule evenodd
}

// mapWidth is the longer side of the viewBox. Shapes are simplified to
// mapTolerance of it, about half a pixel on a map shown 1000 pixels wide,
// which keeps a map of 81 constituencies far below 100 KB.
const (
	mapWidth     = 1000
	mapPad       = 4 // room for the outer borders' strokes
	mapTolerance = 0.5
)

// MapSVG draws areas as an inline SVG map: one link per area (a <g> when
// Href is empty) whose <title> names it, holding a path with the area's
// Class and data-code. It has no inline styles (the console's CSP is
// style-src 'self'), so the page's CSS colours it; it expects rules like
//
//	.map path { stroke: #fff; stroke-width: 1; stroke-linejoin: round }
//	.map .b0 { fill: ... } … .map .b4 { fill: ... }, .map .none { fill: ... }
//	.map a:focus path, .map a:hover path { stroke: #000; stroke-width: 2 }
//
// The svg is a named group (role="group", aria-label=label) rather than
// role="img", which would hide the links from screen readers; each link
// is focusable and named by its <title>, its first child (SVG's way to name
// a link; it is also the hover text over the whole area). A focused
// area's stroke may be half hidden by neighbours drawn after it; an
// outline on ".map a:focus" is not. Borders that neighbours share position
// for position (the shipped shapes, geo.Union's outlines) are simplified
// once for both, so no slivers open between them. Areas without rings are
// left out; with nothing to draw MapSVG returns "".
// The same input gives the same bytes.
func MapSVG(areas []MapArea, label string) template.HTML {
	fit, ok := projFitAreas(areas)
	if !ok {
		return ""
	}
	view := mapView{Width: fit.width, Height: fit.height, Label: label}
	for i, d := range mapPathData(areas, fit) {
		if d == "" {
			continue
		}
		a := areas[i]
		view.Areas = append(view.Areas, mapItem{Code: a.Code, Href: a.Href, Title: a.Title, Class: a.Class, D: d})
	}
	if len(view.Areas) == 0 {
		return ""
	}
	var b bytes.Buffer
	if err := mapTemplate.Execute(&b, view); err != nil {
		panic("chart: map template: " + err.Error()) // only a broken template fails: the data are strings and ints
	}
	return template.HTML(b.String())
}

type mapView struct {
	Width, Height int
	Label         string
	Areas         []mapItem
}

type mapItem struct{ Code, Href, Title, Class, D string }

// mapTemplate escapes every caller's string: html/template also refuses
// unsafe link schemes (javascript:) in href.
var mapTemplate = template.Must(template.New("map").Parse(
	`<svg xmlns="http://www.w3.org/2000/svg" class="map" viewBox="0 0 {{.Width}} {{.Height}}" role="group" aria-label="{{.Label}}" fill-rule="evenodd">
{{- range .Areas}}
{{if .Href}}<a href="{{.Href}}">{{else}}<g>{{end -}}
<title>{{.Title}}</title><path class="{{.Class}}" data-code="{{.Code}}" d="{{.D}}"/>
{{- if .Href}}</a>{{else}}</g>{{end}}
{{- end}}
</svg>`))
