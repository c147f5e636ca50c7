package config_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/image-distributor/image-distributor/internal/config"
	"github.com/image-distributor/image-distributor/internal/ids"
)

func TestNearest(t *testing.T) {
	tests := []struct{ in, want string }{
		{"cn-hangzou", "cn-hangzhou"},
		{"cn-bejing", "cn-beijing"},
		{"ap-southeast-9", "ap-southeast-1"},
		{"eu-central1", "eu-central-1"},
		{"us-east", "us-east-1"},
	}
	for _, tc := range tests {
		if got := config.Nearest(tc.in, config.KnownRegions); got != tc.want {
			t.Errorf("Nearest(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	if got := config.Nearest("DESTINATON_REGIONS", config.Variables()); got != config.EnvDestinationRegions {
		t.Errorf("Nearest(DESTINATON_REGIONS, Variables()) = %q, want %s", got, config.EnvDestinationRegions)
	}
	if got := config.Nearest("dry_run", config.Variables()); got != config.EnvDryRun {
		t.Errorf("Nearest(dry_run, Variables()) = %q, want %s", got, config.EnvDryRun)
	}
}

func TestKnownRegionsAreRegionIDs(t *testing.T) {
	for _, r := range config.KnownRegions {
		if !ids.ValidRegion(r) {
			t.Errorf("KnownRegions holds %q, which ids.ValidRegion refuses", r)
		}
	}
	sorted := slices.Clone(config.KnownRegions)
	slices.Sort(sorted)
	if len(slices.Compact(sorted)) != len(config.KnownRegions) {
		t.Error("KnownRegions lists a region twice")
	}
}

// TestUnknownRegionWarns: a typo in any region setting is named, with
// the nearest known region, and still loads (regions open every year).
func TestUnknownRegionWarns(t *testing.T) {
	env := map[string]string{
		config.EnvDestinationRegions: "cn-hangzou,cn-beijing",
		config.EnvRegionsByProduct:   "CloudDesktop=cn-shenzen",
		config.EnvRegionsBySource:    "cn-shanghia=ap-southeast-1",
		config.EnvAllowedRegions:     "cn-hangzou,cn-beijing,cn-shenzen,ap-southeast-1",
	}
	c, err := config.Load(func(k string) string { return env[k] })
	if err != nil {
		t.Fatalf("Load = %v, want nil: an unknown region is a warning", err)
	}
	want := []string{
		"DESTINATION_REGIONS: cn-hangzou is not a known Alibaba Cloud region (did you mean cn-hangzhou?)",
		"DESTINATION_REGIONS_BY_PRODUCT: cn-shenzen is not a known Alibaba Cloud region (did you mean cn-shenzhen?)",
		"DESTINATION_REGIONS_BY_SOURCE: cn-shanghia is not a known Alibaba Cloud region (did you mean cn-shanghai?)",
		"ALLOWED_REGIONS: cn-hangzou is not",
		"ALLOWED_REGIONS: cn-shenzen is not",
	}
	if len(c.Warnings) != len(want) {
		t.Fatalf("Warnings = %q, want %d", c.Warnings, len(want))
	}
	for i, w := range want {
		if !strings.HasPrefix(c.Warnings[i], w) {
			t.Errorf("Warnings[%d] = %q, want it to start %q", i, c.Warnings[i], w)
		}
	}
	ok, _ := config.Load(func(k string) string {
		return map[string]string{config.EnvDestinationRegions: "cn-hangzhou,ap-southeast-1"}[k]
	})
	if len(ok.Warnings) != 0 {
		t.Errorf("Warnings for known regions = %q, want none", ok.Warnings)
	}
}
