package config_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/image-distributor/image-distributor/internal/config"
)

func TestLoadSweep(t *testing.T) {
	tests := []struct {
		name    string
		env     map[string]string
		want    config.Sweep
		selects bool
	}{
		// No minimum age by default: no event is documented to come, so
		// waiting for one only delays the copy.
		{"nothing selected", nil, config.Sweep{}, false},
		{"ids", map[string]string{config.EnvSweepImageIDs: " imgc-a1, imgc-b2 ,"},
			config.Sweep{ImageIDs: []string{"imgc-a1", "imgc-b2"}}, true},
		{"pattern and tags", map[string]string{config.EnvSweepNamePattern: "finance-*", config.EnvSweepTags: "team=fin; env = prod"},
			config.Sweep{NamePattern: "finance-*", Tags: map[string]string{"team": "fin", "env": "prod"}}, true},
		{"products and age", map[string]string{config.EnvSweepProducts: "CloudApp,WuyingServer", config.EnvSweepMinAge: "10m"},
			config.Sweep{ProductTypes: []string{"CloudApp", "WuyingServer"}, MinAge: 10 * time.Minute}, false},
		{"created after, in UTC", map[string]string{config.EnvSweepCreated: "2026-11-29T08:00:00Z"},
			config.Sweep{CreatedAfter: time.Date(2026, 11, 29, 8, 0, 0, 0, time.UTC)}, true},
		{"created after, with an offset", map[string]string{config.EnvSweepCreated: " 2026-11-29T16:00:00.5+08:00 "},
			config.Sweep{CreatedAfter: time.Date(2026, 11, 29, 8, 0, 0, 5e8, time.UTC)}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := mustLoad(t, tc.env).Sweep
			if diff := cmp.Diff(tc.want, got, cmp.Comparer(time.Time.Equal)); diff != "" {
				t.Errorf("Load(%v).Sweep mismatch (-want +got):\n%s", tc.env, diff)
			}
			if got.Selects() != tc.selects {
				t.Errorf("Selects() = %v, want %v", got.Selects(), tc.selects)
			}
		})
	}
}

func TestLoadSweepErrors(t *testing.T) {
	tests := []struct{ key, value string }{
		{config.EnvSweepImageIDs, "imgc-ok,m-classic"},
		{config.EnvSweepNamePattern, "finance-[*"},
		{config.EnvSweepTags, "team"},
		{config.EnvSweepTags, "=fin"},
		{config.EnvSweepProducts, "CloudPhone"},
		{config.EnvSweepMinAge, "ten minutes"},
		{config.EnvSweepMinAge, "-1m"},
		{config.EnvSweepMinAge, "200h"},
		{config.EnvSweepCreated, "2026-11-29"},
		{config.EnvSweepCreated, "2026-11-29 08:00:00"},
		{config.EnvSweepCreated, "2026-11-29T08:00:00"},
		{config.EnvSweepCreated, "yesterday"},
	}
	for _, tc := range tests {
		t.Run(tc.key+"="+tc.value, func(t *testing.T) {
			_, err := config.Load(env(map[string]string{tc.key: tc.value}))
			if err == nil || !strings.Contains(err.Error(), tc.key) {
				t.Errorf("Load(%s=%q) = %v, want an error naming %s", tc.key, tc.value, err, tc.key)
			}
		})
	}
}

// TestSweepCron: the function reads its ticks' period from the same
// schedule the timer fires on, and refuses one whose period it cannot tell
// or that is outside what the backoff schedule is built for.
func TestSweepCron(t *testing.T) {
	for v, want := range map[string]time.Duration{
		"":               5 * time.Minute,
		"0 */5 * * * *":  5 * time.Minute,
		"0 */10 * * * *": 10 * time.Minute,
		"0 0 * * * *":    time.Hour,
		"@every 1m":      time.Minute,
		"@every 24h":     24 * time.Hour,
	} {
		cfg, err := config.Load(env(map[string]string{config.EnvSweepCron: v}))
		if err != nil || cfg.SweepPeriod != want {
			t.Errorf("SWEEP_CRON=%q: period %v, %v; want %v", v, cfg.SweepPeriod, err, want)
		}
	}
	for _, v := range []string{"*/5 * * * *", "@every 59s", "@every 25h", "0 0 0 L * *", "every five minutes"} {
		if _, err := config.Load(env(map[string]string{config.EnvSweepCron: v})); err == nil || !strings.Contains(err.Error(), config.EnvSweepCron) {
			t.Errorf("SWEEP_CRON=%q: %v, want an error naming %s", v, err, config.EnvSweepCron)
		}
	}
}
