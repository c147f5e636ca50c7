package deploy

import (
	"time"

	"github.com/image-distributor/image-distributor/internal/config"
)

// sweepCron is the timer's default schedule (config.DefaultSweepCron);
// the README's latency and cost figures assume it.
const sweepCron = config.DefaultSweepCron

// cadence checks what decides how soon the sweep copies a new image: the
// timer's schedule, no minimum age beyond the code's own default, and no
// SWEEP_CREATED_AFTER instant baked into the file, which would be one
// operator's deployment time applied to everyone's.
func (p *problems) cadence(s Spec) {
	for _, t := range s.Triggers {
		if t.Type == "timer" && t.Cron != sweepCron {
			p.add(s.File, "timer trigger %s runs on %q by default, want %q: the sweep is the path that always works, and its period is a new image's latency", t.Name, t.Cron, sweepCron)
		}
	}
	if v := s.Env[config.EnvSweepCreated]; v != "" {
		p.add(s.File, "%s defaults to %q; leave it empty so each deployment sets its own time (README \"Deploy\")", config.EnvSweepCreated, v)
	}
	if got, want := s.Env[config.EnvSweepMinAge], defaultMinAge(); got != "" && parseDuration(got) != want {
		p.add(s.File, "%s defaults to %q, not the code's %v: a minimum age only delays images no event will announce", config.EnvSweepMinAge, got, want)
	}
}

// defaultMinAge is SWEEP_MIN_AGE as the code defaults it.
func defaultMinAge() time.Duration {
	cfg, _ := config.Load(func(k string) string {
		if k == config.EnvDestinationRegions {
			return "cn-hangzhou"
		}
		return ""
	})
	return cfg.Sweep.MinAge
}

func parseDuration(v string) time.Duration {
	d, err := time.ParseDuration(v)
	if err != nil {
		return -1
	}
	return d
}
