package config

import (
	"fmt"
	"path"
	"strings"
	"time"

	"github.com/image-distributor/image-distributor/internal/cron"
	"github.com/image-distributor/image-distributor/internal/ids"
)

// The sweep's variables: which images the timer reconciles.
const (
	EnvSweepImageIDs    = "SWEEP_IMAGE_IDS"
	EnvSweepNamePattern = "SWEEP_NAME_PATTERN"
	EnvSweepTags        = "SWEEP_TAGS"
	EnvSweepProducts    = "SWEEP_PRODUCT_TYPES"
	EnvSweepMinAge      = "SWEEP_MIN_AGE"
	EnvSweepCreated     = "SWEEP_CREATED_AFTER"
	// EnvSweepCron is the timer's schedule, the same value the deploy files
	// give the timer trigger: its period says which tick a triggerTime is,
	// and so which pages it lists and which copies are due, and when the
	// next tick is due, before which a tick's work must end.
	EnvSweepCron = "SWEEP_CRON"
	// DefaultSweepCron fires every 5 minutes, UTC. No App Streaming event
	// is documented to reach EventBridge, so the sweep is the path that
	// always works and its period is the latency a new image sees.
	DefaultSweepCron = "0 */5 * * * *"
	// defaultSweepMinAge is no wait. No App Streaming event is documented,
	// so waiting for one only delays the copy; when an event does come, the
	// later of the two starts costs one RepeatedDistribution answer.
	defaultSweepMinAge = 0
)

// Sweep selects the images the timer keeps distributed. An image is
// managed when it is listed by ID, when it matches the name pattern and
// carries every tag, or when it was created at or after CreatedAfter;
// with none set, the sweep manages only the images a timer payload names,
// so a first deployment never starts copying every image in the account.
type Sweep struct {
	ImageIDs     []string
	NamePattern  string // path.Match syntax: "finance-*"
	Tags         map[string]string
	CreatedAfter time.Time // zero: unset
	ProductTypes []string  // empty: all
	// MinAge leaves images younger than this to their creation event.
	MinAge time.Duration
}

// Selects reports whether the configuration selects any image by itself.
func (s Sweep) Selects() bool {
	return len(s.ImageIDs) > 0 || s.NamePattern != "" || len(s.Tags) > 0 || !s.CreatedAfter.IsZero()
}

func loadSweep(getenv func(string) string, bad func(string, error)) Sweep {
	s := Sweep{}
	for _, id := range splitList(getenv(EnvSweepImageIDs), ",") {
		if err := ids.CheckImage(id); err != nil {
			bad(EnvSweepImageIDs, err)
		}
		s.ImageIDs = append(s.ImageIDs, id)
	}
	if p := strings.TrimSpace(getenv(EnvSweepNamePattern)); p != "" {
		if _, err := path.Match(p, ""); err != nil {
			bad(EnvSweepNamePattern, fmt.Errorf("%q is not a pattern such as finance-*", p))
		}
		s.NamePattern = p
	}
	for _, kv := range splitList(getenv(EnvSweepTags), ";") {
		k, v, ok := strings.Cut(kv, "=")
		if !ok || strings.TrimSpace(k) == "" {
			bad(EnvSweepTags, fmt.Errorf("entry %q must look like key=value", kv))
			continue
		}
		if s.Tags == nil {
			s.Tags = map[string]string{}
		}
		s.Tags[strings.TrimSpace(k)] = strings.TrimSpace(v)
	}
	if v := strings.TrimSpace(getenv(EnvSweepCreated)); v != "" {
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			bad(EnvSweepCreated, fmt.Errorf("%q is not an RFC 3339 time such as 2026-11-29T08:00:00Z", v))
		}
		s.CreatedAfter = t
	}
	for _, p := range splitList(getenv(EnvSweepProducts), ",") {
		if err := ids.CheckProductType(p); err != nil {
			bad(EnvSweepProducts, err)
		}
		s.ProductTypes = append(s.ProductTypes, p)
	}
	var err error
	s.MinAge, err = sweepMinAge.parse(getenv(EnvSweepMinAge))
	bad(EnvSweepMinAge, err)
	return s
}

// splitList splits v by sep, trimming items and dropping empty ones.
func splitList(v, sep string) []string {
	var out []string
	for _, item := range strings.Split(v, sep) {
		if item = strings.TrimSpace(item); item != "" {
			out = append(out, item)
		}
	}
	return out
}

// parseSweepCron reads SWEEP_CRON and returns its period.
func parseSweepCron(v string) (time.Duration, error) {
	p, err := cron.Period(orDefault(v, DefaultSweepCron))
	if err != nil {
		return 0, err
	}
	if p < sweepPeriod.min || p > sweepPeriod.max {
		return 0, fmt.Errorf("%q fires every %s; want a period from %s to %s", v, short(p), short(sweepPeriod.min), short(sweepPeriod.max))
	}
	return p, nil
}
