package drive

import (
	"context"
	"errors"
	"fmt"

	"github.com/jodo-org/jodo/internal/access"
	"github.com/jodo-org/jodo/internal/apperr"
	"github.com/jodo-org/jodo/internal/store"
)

// Apply creates or updates the drive f describes, with its channels and
// its targets expanded over the areas stored under its root. It reports
// whether the drive is new.
func Apply(ctx context.Context, db *store.DB, f *File, force bool, by access.Actor) (created bool, err error) {
	d, expand, err := toStore(f)
	if err != nil {
		return false, err
	}
	audit := store.AuditEntry{Actor: by.Label, Scope: by.ScopeLabel(), Action: "drive_apply", Detail: fmt.Sprintf("%s version %d", f.Slug, f.Version)}
	return db.SaveDrive(ctx, d, expand, force, &audit)
}

// toStore is f as the store saves it, with the expansion of its targets
// over the areas stored under its root.
func toStore(f *File) (store.Drive, store.ExpandTargets, error) {
	rules, err := f.Rules()
	if err != nil {
		return store.Drive{}, nil, invalid(err)
	}
	file, err := f.Marshal()
	if err != nil {
		return store.Drive{}, nil, err
	}
	d := store.Drive{
		Slug: f.Slug, Name: f.Name, NameLocal: f.NameLocal, StartsOn: f.StartsOn, EndsOn: f.EndsOn, Timezone: f.Timezone,
		RootArea: f.RootArea, Version: f.Version, File: file,
	}
	for _, ch := range f.Channels {
		d.Channels = append(d.Channels, store.DriveChannel{Kind: ch.Kind, Number: ch.Number, SecretEnv: ch.SecretEnv, SecretFile: ch.SecretFile, Off: ch.Off})
	}
	expand := func(areas []store.SubtreeArea) ([]store.DriveTarget, error) {
		targets, err := Expand(rules, f.RootArea, treeOf(areas))
		if err != nil {
			return nil, invalid(err)
		}
		out := make([]store.DriveTarget, len(targets))
		for i, t := range targets {
			out[i] = store.DriveTarget{AreaCode: t.Area, Metric: t.Metric, Value: t.Value, Explicit: t.Explicit}
		}
		return out, nil
	}
	return d, expand, nil
}

// treeOf is the stored areas as expansion reads them.
func treeOf(areas []store.SubtreeArea) []TreeArea {
	tree := make([]TreeArea, len(areas))
	for i, a := range areas {
		tree[i] = TreeArea{Code: a.Code, Kind: a.Kind, Parent: a.Parent, Weights: a.Weights}
	}
	return tree
}

// Export returns the stored drive file of slug.
func Export(ctx context.Context, db *store.DB, slug string) ([]byte, error) {
	d, err := db.DriveBySlug(ctx, slug)
	if err != nil {
		return nil, err
	}
	return d.File, nil
}

// invalid marks a drive-file problem as the person's to fix.
func invalid(err error) error {
	if e, ok := errors.AsType[*Error](err); ok {
		return apperr.New(apperr.Invalid, "%s", e.Error())
	}
	return err
}
