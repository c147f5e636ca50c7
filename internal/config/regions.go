package config

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/image-distributor/image-distributor/internal/ids"
)

// Regions is where images go: a default list, overrides by product type and
// by source region, and the allow-list that bounds what any caller may ask for.
type Regions struct {
	Default   []string
	ByProduct map[string][]string
	BySource  map[string][]string
	// Allowed is sorted. Without ALLOWED_REGIONS it is every region the
	// configuration names, so a caller can never reach further than the
	// operator's own lists.
	Allowed []string
}

// Allows reports whether a caller may distribute to region.
func (r Regions) Allows(region string) bool {
	_, ok := slices.BinarySearch(r.Allowed, region)
	return ok
}

func loadRegions(getenv func(string) string, bad func(string, error)) (Regions, error) {
	var r Regions
	var err error
	r.Default, err = ParseRegionList(getenv(EnvDestinationRegions))
	bad(EnvDestinationRegions, err)
	if err == nil && len(r.Default) == 0 {
		bad(EnvDestinationRegions, errors.New("required: a comma-separated list such as cn-hangzhou,cn-beijing"))
	}
	r.ByProduct, err = parseOverrides(getenv(EnvRegionsByProduct), ids.CheckProductType)
	bad(EnvRegionsByProduct, err)
	r.BySource, err = parseOverrides(getenv(EnvRegionsBySource), ids.CheckRegion)
	bad(EnvRegionsBySource, err)

	named := slices.Clone(r.Default)
	for _, m := range []map[string][]string{r.ByProduct, r.BySource} {
		for _, list := range m {
			named = append(named, list...)
		}
	}
	slices.Sort(named)
	named = slices.Compact(named)

	allowed, err := ParseRegionList(getenv(EnvAllowedRegions))
	bad(EnvAllowedRegions, err)
	if len(allowed) == 0 {
		r.Allowed = named
		return r, nil
	}
	slices.Sort(allowed)
	r.Allowed = slices.Compact(allowed)
	for _, n := range named {
		if !r.Allows(n) {
			return r, fmt.Errorf("%s: %s is configured as a destination but not allowed", EnvAllowedRegions, n)
		}
	}
	return r, nil
}

// ParseRegionList splits a comma-separated list of region IDs, trimming
// spaces, dropping empty items and duplicates and keeping the order.
func ParseRegionList(v string) ([]string, error) {
	var out []string
	for _, item := range strings.Split(v, ",") {
		item = strings.TrimSpace(item)
		if item == "" || slices.Contains(out, item) {
			continue
		}
		if err := ids.CheckRegion(item); err != nil {
			return nil, err
		}
		out = append(out, item)
	}
	return out, nil
}

// parseOverrides reads "KEY=region,region;KEY=region". Semicolons separate
// entries because commas already separate regions.
func parseOverrides(v string, checkKey func(string) error) (map[string][]string, error) {
	out := map[string][]string{}
	for _, entry := range strings.Split(v, ";") {
		entry = strings.TrimSpace(entry)
		if entry == "" {
			continue
		}
		key, list, ok := strings.Cut(entry, "=")
		key = strings.TrimSpace(key)
		if !ok || key == "" {
			return nil, fmt.Errorf("entry %q must look like KEY=cn-hangzhou,cn-beijing", entry)
		}
		if err := checkKey(key); err != nil {
			return nil, err
		}
		if _, dup := out[key]; dup {
			return nil, fmt.Errorf("%s is listed twice", key)
		}
		regions, err := ParseRegionList(list)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", key, err)
		}
		if len(regions) == 0 {
			return nil, fmt.Errorf("%s has no regions", key)
		}
		out[key] = regions
	}
	return out, nil
}
