package config

import (
	"fmt"
	"strconv"
	"time"
)

// FlagRule is a velocity flag's threshold: AtLeast events of one
// recruiter, network, device or person within Within (0: no flag).
type FlagRule struct {
	AtLeast int
	Within  time.Duration
}

// Flags are the velocity flags' thresholds (docs/configuration.md): each
// JODO_FLAG_<KIND> (a count) and JODO_FLAG_<KIND>_WITHIN (a duration),
// and JODO_FLAG_LOOKBACK, how far back flags are looked for.
type Flags struct {
	Recruits, Network, Device, Groups FlagRule
	Lookback                          time.Duration
}

// The default thresholds sit above what honest people do: a keen
// volunteer registers the ten groups asked of them at once, and a family
// shares a phone and a home network.

// maxFlagLookback is how long registration marks are kept.
const maxFlagLookback = 30 * 24 * time.Hour

func parseFlags(env Env) (Flags, error) {
	var f Flags
	var err error
	for _, r := range []struct {
		name  string
		rule  *FlagRule
		count string
	}{
		{"RECRUITS", &f.Recruits, "10"}, {"NETWORK", &f.Network, "20"}, {"DEVICE", &f.Device, "5"}, {"GROUPS", &f.Groups, "15"},
	} {
		if *r.rule, err = parseFlagRule(env, "JODO_FLAG_"+r.name, r.count); err != nil {
			return Flags{}, err
		}
	}
	f.Lookback, err = time.ParseDuration(lookup(env, "JODO_FLAG_LOOKBACK", "168h"))
	if err != nil || f.Lookback < time.Hour || f.Lookback > maxFlagLookback {
		return Flags{}, fmt.Errorf("JODO_FLAG_LOOKBACK must be a duration between 1h and %s (registration marks are kept 30 days), like 168h", maxFlagLookback)
	}
	return f, nil
}

func parseFlagRule(env Env, name, count string) (FlagRule, error) {
	var r FlagRule
	var err error
	if r.AtLeast, err = strconv.Atoi(lookup(env, name, count)); err != nil || r.AtLeast < 0 || r.AtLeast == 1 {
		return FlagRule{}, fmt.Errorf("%s must be a whole number of events, 2 or more (0: no flag)", name)
	}
	if r.Within, err = time.ParseDuration(lookup(env, name+"_WITHIN", "1h")); err != nil || r.Within < time.Minute || r.Within > 24*time.Hour {
		return FlagRule{}, fmt.Errorf("%s_WITHIN must be a duration between 1m and 24h, like 1h", name)
	}
	return r, nil
}
