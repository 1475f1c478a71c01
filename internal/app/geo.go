package app

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/jodo-org/jodo/internal/areamatch"
	"github.com/jodo-org/jodo/internal/config"
	"github.com/jodo-org/jodo/internal/geo"
	"github.com/jodo-org/jodo/internal/store"
)

// geoMatchLimit is how many candidates `jodo geo match` prints at most.
const geoMatchLimit = 5

// geoKinds are the area kinds each --kind matches.
var geoKinds = map[string][]string{
	"district": {"district"},
	"ac":       {"ac"},
	"all":      {"district", "ac"},
}

// geoMatch runs `jodo geo match TEXT`: the areas the bot's matcher finds
// for TEXT, one a line, best first, as CODE, name_en, name_local and score
// separated by tabs; nothing when none match.
func geoMatch(ctx context.Context, cfg *config.Config, io IO) error {
	kinds, ok := geoKinds[cfg.GeoKind]
	if len(cfg.Args) == 0 || !ok {
		return fmt.Errorf("usage: jodo geo match TEXT [--kind district|ac|all]")
	}
	db, err := openExisting(ctx, cfg)
	if err != nil {
		return err
	}
	defer db.Close()
	areas, err := storedAreas(ctx, db, kinds)
	if err != nil {
		return err
	}
	if len(areas) == 0 {
		fmt.Fprintln(io.Stderr, "jodo: the database holds no districts or ACs; matching against the shipped Jharkhand geography")
		if areas, err = shippedAreas(kinds); err != nil {
			return err
		}
	}
	for _, c := range areamatch.New(areas).Match(strings.Join(cfg.Args, " "), geoMatchLimit) {
		fmt.Fprintf(io.Stdout, "%s\t%s\t%s\t%.2f\n", c.Area.Code, c.Area.NameEN, c.Area.NameLocal, c.Score)
	}
	return nil
}

func storedAreas(ctx context.Context, db *store.DB, kinds []string) ([]geo.Area, error) {
	var out []geo.Area
	for _, kind := range kinds {
		stored, err := db.ListAreas(ctx, store.AreaFilter{Kind: kind})
		if err != nil {
			return nil, err
		}
		out = append(out, stored...)
	}
	return out, nil
}

func shippedAreas(kinds []string) ([]geo.Area, error) {
	areas, err := geo.Jharkhand()
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(areas, func(a geo.Area) bool { return !slices.Contains(kinds, a.Kind) }), nil
}
