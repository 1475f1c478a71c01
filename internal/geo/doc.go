// Package geo owns Jodo's area trees: the area file format (ParseCSV),
// planning an import against what is already stored (PlanImport, and
// Importer for store.DB.ImportAreas), the shipped Jharkhand geography
// (Jharkhand) and point-in-polygon lookups over GeoJSON shapes (Shapes).
// Its Area is the store's, so a file's areas and the stored rows are one
// type; geo uses store for that type only and never touches the database,
// and store, which must not import a domain package, takes the plan as a
// callback.
package geo
