package config_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/image-distributor/image-distributor/internal/config"
)

func TestLoadRegions(t *testing.T) {
	none := map[string][]string{}
	tests := []struct {
		name string
		env  map[string]string
		want config.Regions
	}{
		{
			name: "default list trimmed, deduplicated, in order",
			env:  map[string]string{config.EnvDestinationRegions: " cn-hangzhou , cn-beijing,,cn-hangzhou,"},
			want: config.Regions{Default: []string{"cn-hangzhou", "cn-beijing"}, ByProduct: none, BySource: none,
				Allowed: []string{"cn-beijing", "cn-hangzhou"}},
		},
		{
			name: "overrides by product",
			env:  map[string]string{config.EnvRegionsByProduct: "CloudDesktop=cn-hangzhou,cn-beijing;WuyingServer=cn-shenzhen"},
			want: config.Regions{Default: []string{"cn-hangzhou"},
				ByProduct: map[string][]string{"CloudDesktop": {"cn-hangzhou", "cn-beijing"}, "WuyingServer": {"cn-shenzhen"}},
				BySource:  none, Allowed: []string{"cn-beijing", "cn-hangzhou", "cn-shenzhen"}},
		},
		{
			name: "overrides by source",
			env:  map[string]string{config.EnvRegionsBySource: "cn-shanghai=ap-southeast-1"},
			want: config.Regions{Default: []string{"cn-hangzhou"}, ByProduct: none,
				BySource: map[string][]string{"cn-shanghai": {"ap-southeast-1"}},
				Allowed:  []string{"ap-southeast-1", "cn-hangzhou"}},
		},
		{
			name: "overrides with spaces and empty entries",
			env:  map[string]string{config.EnvRegionsByProduct: " ; CloudApp = cn-beijing , cn-beijing ;;"},
			want: config.Regions{Default: []string{"cn-hangzhou"},
				ByProduct: map[string][]string{"CloudApp": {"cn-beijing"}}, BySource: none,
				Allowed: []string{"cn-beijing", "cn-hangzhou"}},
		},
		{
			name: "explicit allow-list wider than the configuration",
			env:  map[string]string{config.EnvAllowedRegions: "cn-shenzhen,cn-hangzhou,cn-beijing,cn-shenzhen"},
			want: config.Regions{Default: []string{"cn-hangzhou"}, ByProduct: none, BySource: none,
				Allowed: []string{"cn-beijing", "cn-hangzhou", "cn-shenzhen"}},
		},
		{
			name: "source keys are not destinations",
			env: map[string]string{config.EnvRegionsBySource: "cn-shanghai=cn-hangzhou",
				config.EnvAllowedRegions: "cn-hangzhou"},
			want: config.Regions{Default: []string{"cn-hangzhou"}, ByProduct: none,
				BySource: map[string][]string{"cn-shanghai": {"cn-hangzhou"}}, Allowed: []string{"cn-hangzhou"}},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := mustLoad(t, tc.env).Regions
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Load(%v).Regions mismatch (-want +got):\n%s", tc.env, diff)
			}
		})
	}
}

func TestLoadRegionErrors(t *testing.T) {
	tests := []struct {
		name  string
		key   string
		value string
		extra map[string]string
		want  string // also in the message, besides the variable
	}{
		{"product entry without equals", config.EnvRegionsByProduct, "CloudApp", nil, "KEY=cn-hangzhou"},
		{"product entry without key", config.EnvRegionsByProduct, "=cn-hangzhou", nil, "KEY=cn-hangzhou"},
		{"product lowercase", config.EnvRegionsByProduct, "cloudapp=cn-hangzhou", nil, "cloudapp"},
		{"product listed twice", config.EnvRegionsByProduct, "CloudApp=cn-hangzhou;CloudApp=cn-beijing", nil, "twice"},
		{"product without regions", config.EnvRegionsByProduct, "CloudApp=", nil, "no regions"},
		{"product bad region", config.EnvRegionsByProduct, "CloudApp=cn-hangzhou,CN-X", nil, "CN-X"},
		{"comma instead of semicolon", config.EnvRegionsByProduct, "CloudApp=cn-hangzhou,CloudDesktop=cn-beijing", nil, "CloudDesktop=cn-beijing"},
		{"source key uppercase", config.EnvRegionsBySource, "CN-SHANGHAI=cn-hangzhou", nil, "CN-SHANGHAI"},
		{"source key traversal", config.EnvRegionsBySource, "../x=cn-hangzhou", nil, "../x"},
		{"source bad region", config.EnvRegionsBySource, "cn-shanghai=cn hangzhou", nil, "cn hangzhou"},
		{"allow-list misses the default", config.EnvAllowedRegions, "cn-beijing", nil, "cn-hangzhou"},
		{"allow-list misses a product override", config.EnvAllowedRegions, "cn-hangzhou",
			map[string]string{config.EnvRegionsByProduct: "CloudApp=cn-shenzhen"}, "cn-shenzhen"},
		{"allow-list misses a source override", config.EnvAllowedRegions, "cn-hangzhou",
			map[string]string{config.EnvRegionsBySource: "cn-shanghai=ap-southeast-1"}, "ap-southeast-1"},
		{"newline in list", config.EnvDestinationRegions, "cn-hangzhou\ncn-beijing", nil, `\n`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			kv := map[string]string{tc.key: tc.value}
			for k, v := range tc.extra {
				kv[k] = v
			}
			_, err := config.Load(env(kv))
			if err == nil {
				t.Fatalf("Load(%v) = nil, want an error", kv)
			}
			for _, w := range []string{tc.key, tc.want} {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("Load(%v) = %v, want it to contain %q", kv, err, w)
				}
			}
		})
	}
}

func TestParseRegionList(t *testing.T) {
	tests := []struct {
		in   string
		want []string
		ok   bool
	}{
		{"", nil, true},
		{"cn-hangzhou", []string{"cn-hangzhou"}, true},
		{"cn-beijing, cn-hangzhou ,cn-beijing", []string{"cn-beijing", "cn-hangzhou"}, true},
		{",,", nil, true},
		{"cn-hangzhou;cn-beijing", nil, false},
		{"cn-hangzhou cn-beijing", nil, false},
		{"*", nil, false},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			got, err := config.ParseRegionList(tc.in)
			if (err == nil) != tc.ok {
				t.Fatalf("ParseRegionList(%q) error = %v, want ok: %v", tc.in, err, tc.ok)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("ParseRegionList(%q) mismatch (-want +got):\n%s", tc.in, diff)
			}
		})
	}
}

func TestAllows(t *testing.T) {
	r := mustLoad(t, map[string]string{config.EnvDestinationRegions: "cn-shenzhen,cn-beijing",
		config.EnvAllowedRegions: "cn-shenzhen,cn-beijing,ap-southeast-1"}).Regions
	tests := []struct {
		region string
		want   bool
	}{
		{"cn-beijing", true},
		{"cn-shenzhen", true},
		{"ap-southeast-1", true},
		{"cn-hangzhou", false},
		{"", false},
		{"CN-BEIJING", false},
	}
	for _, tc := range tests {
		if got := r.Allows(tc.region); got != tc.want {
			t.Errorf("Allows(%q) = %v, want %v", tc.region, got, tc.want)
		}
	}
}
