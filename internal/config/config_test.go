package config_test

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/rs/zerolog"

	"github.com/image-distributor/image-distributor/internal/config"
)

// env is a map-backed getenv. Every case starts from the one required
// variable and applies its own settings on top.
func env(kv map[string]string) func(string) string {
	m := map[string]string{config.EnvDestinationRegions: "cn-hangzhou"}
	for k, v := range kv {
		m[k] = v
	}
	return func(k string) string { return m[k] }
}

func mustLoad(t *testing.T, kv map[string]string) config.Config {
	t.Helper()
	c, err := config.Load(env(kv))
	if err != nil {
		t.Fatalf("Load(%v) = %v, want no error", kv, err)
	}
	return c
}

func hexSHA256(s string) (string, []byte) {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:]), sum[:]
}

func TestLoadDefaults(t *testing.T) {
	got := mustLoad(t, nil)
	want := config.Config{
		Regions: config.Regions{
			Default:   []string{"cn-hangzhou"},
			ByProduct: map[string][]string{},
			BySource:  map[string][]string{},
			Allowed:   []string{"cn-hangzhou"},
		},
		ProductType:    config.DefaultProductType,
		Endpoint:       config.Endpoint{Scheme: "https", Host: config.DefaultEndpoint},
		LogLevel:       zerolog.InfoLevel,
		APIQPS:         5,
		MaxConcurrency: 4,
		MaxAttempts:    4,
		MaxImages:      1000,
		Sweep:          config.Sweep{},
		SweepPeriod:    5 * time.Minute,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Load(defaults) mismatch (-want +got):\n%s", diff)
	}
}

func TestLoadGoodValues(t *testing.T) {
	tokenHex, tokenSum := hexSHA256("token")
	tests := []struct {
		name  string
		key   string
		value string
		get   func(config.Config) any
		want  any
	}{
		{"product type", config.EnvProductType, "CloudDesktop", func(c config.Config) any { return c.ProductType }, "CloudDesktop"},
		{"endpoint host", config.EnvEndpoint, "appstream-center.cn-hangzhou.aliyuncs.com", func(c config.Config) any { return c.Endpoint.String() }, "https://appstream-center.cn-hangzhou.aliyuncs.com"},
		{"endpoint loopback", config.EnvEndpoint, "http://127.0.0.1:8080", func(c config.Config) any { return c.Endpoint.String() }, "http://127.0.0.1:8080"},
		{"dry run true", config.EnvDryRun, "true", func(c config.Config) any { return c.DryRun }, true},
		{"dry run 1", config.EnvDryRun, "1", func(c config.Config) any { return c.DryRun }, true},
		{"dry run FALSE", config.EnvDryRun, "FALSE", func(c config.Config) any { return c.DryRun }, false},
		{"log level debug", config.EnvLogLevel, "debug", func(c config.Config) any { return c.LogLevel }, zerolog.DebugLevel},
		{"log level uppercase", config.EnvLogLevel, "WARN", func(c config.Config) any { return c.LogLevel }, zerolog.WarnLevel},
		{"log level error", config.EnvLogLevel, "error", func(c config.Config) any { return c.LogLevel }, zerolog.ErrorLevel},
		{"qps fraction", config.EnvAPIQPS, "0.5", func(c config.Config) any { return c.APIQPS }, 0.5},
		{"qps maximum", config.EnvAPIQPS, "100", func(c config.Config) any { return c.APIQPS }, 100.0},
		{"concurrency 1", config.EnvMaxConcurrency, "1", func(c config.Config) any { return c.MaxConcurrency }, 1},
		{"concurrency maximum", config.EnvMaxConcurrency, "64", func(c config.Config) any { return c.MaxConcurrency }, 64},
		{"attempts 1", config.EnvMaxAttempts, "1", func(c config.Config) any { return c.MaxAttempts }, 1},
		{"attempts maximum", config.EnvMaxAttempts, "10", func(c config.Config) any { return c.MaxAttempts }, 10},
		{"images 1", config.EnvMaxImages, "1", func(c config.Config) any { return c.MaxImages }, 1},
		{"images maximum", config.EnvMaxImages, "10000", func(c config.Config) any { return c.MaxImages }, 10000},
		{"token digest", config.EnvHTTPTokenSHA256, tokenHex, func(c config.Config) any { return c.HTTPTokenSHA256 }, tokenSum},
		{"token digest uppercase", config.EnvHTTPTokenSHA256, strings.ToUpper(tokenHex), func(c config.Config) any { return c.HTTPTokenSHA256 }, tokenSum},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := tc.get(mustLoad(t, map[string]string{tc.key: tc.value}))
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Load(%s=%q) mismatch (-want +got):\n%s", tc.key, tc.value, diff)
			}
		})
	}
}

func TestLoadBadValues(t *testing.T) {
	tokenHex, _ := hexSHA256("token")
	tests := []struct {
		name  string
		key   string
		value string
	}{
		{"product type lowercase", config.EnvProductType, "cloudapp"},
		{"product type unknown", config.EnvProductType, "CloudPhone"},
		{"endpoint plain http", config.EnvEndpoint, "http://appstream.example.com"},
		{"endpoint path", config.EnvEndpoint, "https://appstream.example.com/v1"},
		{"dry run yes", config.EnvDryRun, "yes"},
		{"log level unknown", config.EnvLogLevel, "verbose"},
		{"log level disabled", config.EnvLogLevel, "disabled"},
		{"log level numeric", config.EnvLogLevel, "-1"},
		{"log level trace", config.EnvLogLevel, "trace"},
		{"qps vanishing", config.EnvAPIQPS, "1e-300"},
		{"qps zero", config.EnvAPIQPS, "0"},
		{"qps negative", config.EnvAPIQPS, "-1"},
		{"qps too high", config.EnvAPIQPS, "100.5"},
		{"qps NaN", config.EnvAPIQPS, "NaN"},
		{"qps infinite", config.EnvAPIQPS, "Inf"},
		{"qps words", config.EnvAPIQPS, "five"},
		{"concurrency zero", config.EnvMaxConcurrency, "0"},
		{"concurrency too high", config.EnvMaxConcurrency, "65"},
		{"concurrency fraction", config.EnvMaxConcurrency, "1.5"},
		{"concurrency padded", config.EnvMaxConcurrency, " 4"},
		{"attempts zero", config.EnvMaxAttempts, "0"},
		{"attempts too high", config.EnvMaxAttempts, "11"},
		{"images negative", config.EnvMaxImages, "-5"},
		{"images too high", config.EnvMaxImages, "10001"},
		{"images overflow", config.EnvMaxImages, "99999999999999999999"},
		{"token not hex", config.EnvHTTPTokenSHA256, strings.Repeat("z", 64)},
		{"token short", config.EnvHTTPTokenSHA256, tokenHex[:62]},
		{"token long", config.EnvHTTPTokenSHA256, tokenHex + "00"},
		{"token in clear", config.EnvHTTPTokenSHA256, "my-bearer-token"},
		{"destinations missing", config.EnvDestinationRegions, ""},
		{"destinations only commas", config.EnvDestinationRegions, " , ,"},
		{"destinations uppercase", config.EnvDestinationRegions, "CN-HANGZHOU"},
		{"destinations traversal", config.EnvDestinationRegions, "cn-hangzhou,../etc"},
		{"allowed bad region", config.EnvAllowedRegions, "cn-hangzhou,cn hangzhou"},
		{"allowed misses a destination", config.EnvAllowedRegions, "cn-beijing"},
		{"by product no equals", config.EnvRegionsByProduct, "CloudApp"},
		{"by source bad key", config.EnvRegionsBySource, "Shanghai=cn-hangzhou"},
		{"key ID without secret", config.EnvAccessKeyID, "LTAI5t"},
		{"secret without key ID", config.EnvAccessKeySecret, "s3cr3t"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := config.Load(env(map[string]string{tc.key: tc.value}))
			if err == nil {
				t.Fatalf("Load(%s=%q) = %+v, want an error", tc.key, tc.value, c)
			}
			if !strings.Contains(err.Error(), tc.key) {
				t.Errorf("Load(%s=%q) = %v, want the error to name %s", tc.key, tc.value, err, tc.key)
			}
			if strings.Contains(err.Error(), ": :") || strings.Contains(err.Error(), "\n:") {
				t.Errorf("Load(%s=%q) = %q, has an error with an empty variable name", tc.key, tc.value, err)
			}
			if diff := cmp.Diff(config.Config{}, c); diff != "" {
				t.Errorf("Load(%s=%q) returned a partial config (-want +got):\n%s", tc.key, tc.value, diff)
			}
		})
	}
}

func TestLoadReportsEveryError(t *testing.T) {
	bad := map[string]string{
		config.EnvDestinationRegions: "",
		config.EnvRegionsByProduct:   "Nope=cn-hangzhou",
		config.EnvProductType:        "Nope",
		config.EnvEndpoint:           "ftp://x",
		config.EnvDryRun:             "maybe",
		config.EnvLogLevel:           "loud",
		config.EnvAPIQPS:             "0",
		config.EnvMaxConcurrency:     "0",
		config.EnvMaxAttempts:        "0",
		config.EnvMaxImages:          "0",
		config.EnvHTTPTokenSHA256:    "x",
		config.EnvAccessKeyID:        "LTAI5t",
	}
	_, err := config.Load(func(k string) string { return bad[k] })
	if err == nil {
		t.Fatal("Load(every variable bad) = nil, want an error")
	}
	for k := range bad {
		if !strings.Contains(err.Error(), k) {
			t.Errorf("Load(every variable bad) = %v, want it to name %s", err, k)
		}
	}
}

// TestVariables checks that Variables lists exactly what Load reads apart
// from the credentials FC sets and the SDK's DEBUG (only checked, never an
// operator's setting), so deploy files can be checked against it.
func TestVariables(t *testing.T) {
	asked := map[string]bool{}
	_, _ = config.Load(func(k string) string {
		asked[k] = true
		return env(nil)(k)
	})
	want := append(config.Variables(), config.EnvAccessKeyID, config.EnvAccessKeySecret, config.EnvSecurityToken, config.EnvDebug)
	slices.Sort(want)
	var got []string
	for k := range asked {
		got = append(got, k)
	}
	slices.Sort(got)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("variables Load reads (-Variables()+credentials +asked):\n%s", diff)
	}
	if n := len(config.Variables()); n != len(slices.Compact(slices.Sorted(slices.Values(config.Variables())))) {
		t.Errorf("Variables() has duplicates: %v (%d entries)", config.Variables(), n)
	}
}
