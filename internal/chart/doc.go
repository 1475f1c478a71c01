// Package chart is server-rendered SVG for the console: a metric's daily
// chart and a map of areas. It is pure (no database, no HTTP) and writes no
// JavaScript and no inline styles, since the console's policy is
// style-src 'self': shapes carry class names for the console's stylesheet and
// presentation attributes (fill, stroke) so they read well without it.
package chart
