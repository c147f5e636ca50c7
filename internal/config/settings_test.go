package config_test

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/image-distributor/image-distributor/internal/config"
)

func TestSettingsNameEveryVariable(t *testing.T) {
	var names []string
	for _, s := range config.Settings() {
		names = append(names, s.Name)
	}
	if diff := cmp.Diff(config.Variables(), names); diff != "" {
		t.Errorf("Settings names (-Variables +Settings):\n%s", diff)
	}
}

// TestSettingsAreWhatLoadDoes proves each documented default and range
// against Load: the default set explicitly changes nothing, both ends of a
// range are accepted and just beyond them is refused, and so is a value
// outside a list.
func TestSettingsAreWhatLoadDoes(t *testing.T) {
	unset := mustLoad(t, nil)
	for _, s := range config.Settings() {
		t.Run(s.Name, func(t *testing.T) {
			if s.Default != "" {
				if diff := cmp.Diff(unset, mustLoad(t, map[string]string{s.Name: s.Default})); diff != "" {
					t.Errorf("%s=%s (the documented default) differs from unset (-unset +set):\n%s", s.Name, s.Default, diff)
				}
			}
			var good, bad []string
			if lo, hi, ok := strings.Cut(s.Range, "–"); ok {
				good, bad = []string{lo, hi}, beyond(t, lo, hi)
			} else if s.Range != "" && strings.Contains(s.Range, ", ") {
				good, bad = strings.Split(s.Range, ", "), []string{"bogus"}
			}
			for _, v := range good {
				mustLoad(t, map[string]string{s.Name: v})
			}
			for _, v := range bad {
				if _, err := config.Load(env(map[string]string{s.Name: v})); err == nil || !strings.Contains(err.Error(), s.Name) {
					t.Errorf("Load(%s=%s) = %v, want an error naming %s", s.Name, v, err, s.Name)
				}
			}
		})
	}
}

// beyond gives values just outside the range lo–hi: whole numbers, other
// numbers or durations, whichever the ends are.
func beyond(t *testing.T, lo, hi string) []string {
	t.Helper()
	if a, err := strconv.Atoi(lo); err == nil {
		b, _ := strconv.Atoi(hi)
		return []string{fmt.Sprint(a - 1), fmt.Sprint(b + 1)}
	}
	if a, err := strconv.ParseFloat(lo, 64); err == nil {
		b, _ := strconv.ParseFloat(hi, 64)
		return []string{fmt.Sprint(a / 2), fmt.Sprint(b * 1.01)}
	}
	a, errA := time.ParseDuration(lo)
	b, errB := time.ParseDuration(hi)
	if errA != nil || errB != nil {
		t.Fatalf("range %s–%s is neither numbers nor durations", lo, hi)
	}
	return []string{(a - time.Second).String(), (b + time.Second).String()}
}

func TestSettingsRanges(t *testing.T) {
	want := map[string]string{
		config.EnvAPIQPS: "0.1–100", config.EnvMaxConcurrency: "1–64", config.EnvMaxAttempts: "1–10",
		config.EnvMaxImages: "1–10000", config.EnvSweepMinAge: "0–168h", config.EnvLogLevel: "debug, info, warn, error",
	}
	for _, s := range config.Settings() {
		if w, ok := want[s.Name]; ok && s.Range != w {
			t.Errorf("Settings %s range = %q, want %q", s.Name, s.Range, w)
		}
	}
	if i := slices.IndexFunc(config.Settings(), func(s config.Setting) bool { return s.Name == config.EnvAPIQPS }); config.Settings()[i].Default != "5" {
		t.Errorf("Settings API_QPS default = %q, want 5", config.Settings()[i].Default)
	}
}
