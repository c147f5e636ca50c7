package config

import (
	"crypto/sha256"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/image-distributor/image-distributor/internal/ids"
)

// Setting is one variable of the function's environment as the README's
// Configuration table shows it; a test compares that table with Settings.
type Setting struct {
	Name string
	// Default is the value used when the variable is unset, written the way
	// an operator would write it; "" when there is none to show.
	Default string
	// Range is what Load accepts when it checks more than the form, such
	// as "1–64" or "debug, info, warn, error"; "" otherwise.
	Range string
}

// Settings describes every variable of Variables, in the same order, from
// the values the parsers themselves use, so the README cannot drift from
// what Load does.
func Settings() []Setting {
	products := strings.Join(ids.ProductTypes, ", ")
	known := map[string]Setting{
		EnvProductType:     {Default: DefaultProductType, Range: products},
		EnvEndpoint:        {Default: DefaultEndpoint},
		EnvLogLevel:        {Default: defaultLevel, Range: strings.Join(levelNames(), ", ")},
		EnvAPIQPS:          apiQPS.setting(),
		EnvMaxConcurrency:  maxConcurrency.setting(),
		EnvMaxAttempts:     maxAttempts.setting(),
		EnvMaxImages:       maxImages.setting(),
		EnvHTTPTokenSHA256: {Range: fmt.Sprintf("%d hex digits", 2*sha256.Size)},
		EnvSweepProducts:   {Range: products},
		EnvSweepMinAge:     sweepMinAge.setting(),
		EnvSweepCron:       {Default: DefaultSweepCron}, // its period's range: TestSweepCron
	}
	out := make([]Setting, 0, len(known))
	for _, name := range Variables() {
		s := known[name]
		s.Name = name
		out = append(out, s)
	}
	return out
}

// The bounded numeric settings: the parsers read their limits from here.
var (
	// One call per 10 s at the least: anything slower cannot finish a batch.
	apiQPS         = floatRange{def: 5, min: 0.1, max: 100}
	maxConcurrency = intRange{def: 4, min: 1, max: 64}
	maxAttempts    = intRange{def: 4, min: 1, max: 10}
	maxImages      = intRange{def: 1000, min: 1, max: 10000}
	sweepMinAge    = durationRange{def: defaultSweepMinAge, min: 0, max: 7 * 24 * time.Hour}
	// SWEEP_CRON's period: FC fires timers a minute apart at the closest,
	// and a day is the longest period the backoff schedule keeps its daily
	// step at.
	sweepPeriod = durationRange{min: time.Minute, max: 24 * time.Hour}
)

type intRange struct{ def, min, max int }

func (r intRange) parse(v string) (int, error) {
	if v == "" {
		return r.def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < r.min || n > r.max {
		return 0, fmt.Errorf("%q is not a whole number from %d to %d", v, r.min, r.max)
	}
	return n, nil
}

func (r intRange) setting() Setting {
	return Setting{Default: strconv.Itoa(r.def), Range: fmt.Sprintf("%d–%d", r.min, r.max)}
}

type floatRange struct{ def, min, max float64 }

func (r floatRange) parse(v string) (float64, error) {
	if v == "" {
		return r.def, nil
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || !(f >= r.min && f <= r.max) {
		return 0, fmt.Errorf("%q is not a number from %g to %g", v, r.min, r.max)
	}
	return f, nil
}

func (r floatRange) setting() Setting {
	return Setting{Default: fmt.Sprint(r.def), Range: fmt.Sprintf("%g–%g", r.min, r.max)}
}

type durationRange struct{ def, min, max time.Duration }

func (r durationRange) parse(v string) (time.Duration, error) {
	if v == "" {
		return r.def, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < r.min || d > r.max {
		return 0, fmt.Errorf("%q is not a duration from %s to %s, such as 10m", v, short(r.min), short(r.max))
	}
	return d, nil
}

func (r durationRange) setting() Setting {
	return Setting{Default: short(r.def), Range: short(r.min) + "–" + short(r.max)}
}

// short writes a duration the way an operator would: 10m, 168h, 1h30m, 0.
func short(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	if s == "0s" {
		return "0"
	}
	return s
}
