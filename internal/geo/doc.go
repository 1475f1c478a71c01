// Package geo owns Jodo's area trees: the Area type, the area file format
// (ParseCSV), planning an import against what is already stored (PlanImport),
// the shipped Jharkhand geography (Jharkhand) and point-in-polygon lookups
// over GeoJSON shapes (Shapes). It is pure: no database and no HTTP, so the
// store and the web layers can share one definition of a valid tree.
package geo
