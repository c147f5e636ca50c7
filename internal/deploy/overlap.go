package deploy

import (
	"fmt"
	"strconv"
	"time"

	"github.com/image-distributor/image-distributor/internal/config"
	"github.com/image-distributor/image-distributor/internal/cron"
)

// sweepCronParam is the template parameter the timer's schedule comes
// from; s.yaml's counterpart is the SWEEP_CRON environment variable.
const sweepCronParam = "SweepCron"

// overlap checks that a tick ends before the next is due: the function's
// timeout is below the shortest gap between two firings of the timer.
// Otherwise a long tick still runs when the next starts, on a second
// instance (one request per instance), and both start the same copies.
func (p *problems) overlap(s Spec) {
	secs, err := strconv.Atoi(s.Timeout)
	if err != nil || secs < 1 {
		p.add(s.File, "function timeout is %q, want a whole number of seconds", s.Timeout)
		return
	}
	timeout := time.Duration(secs) * time.Second
	for _, t := range s.Triggers {
		if t.Type != "timer" {
			continue
		}
		if why := tickFits(t.Cron, timeout); why != "" {
			p.add(s.File, "timer trigger %s: %s", t.Name, why)
		}
		// The function reads its ticks' period from SWEEP_CRON, so it must
		// be the schedule that fires them.
		if v := s.Env[config.EnvSweepCron]; v != t.Cron {
			p.add(s.File, "environment variable %s is %q, but timer trigger %s runs on %q: the function must budget its ticks by the schedule that fires them", config.EnvSweepCron, v, t.Name, t.Cron)
		}
	}
	if s.template != nil {
		p.cronPattern(*s.template, s.File, timeout)
	}
}

// tickFits says why a tick on schedule expr could overlap the next one,
// or "" when it cannot.
func tickFits(expr string, timeout time.Duration) string {
	period, err := cron.Period(expr)
	if err != nil {
		return fmt.Sprintf("%v; a schedule whose period cannot be told cannot be shown not to overlap itself", err)
	}
	if period <= timeout {
		return fmt.Sprintf("cron %q fires %v apart at the closest, not more than the %v timeout: a long tick would still run when the next is due, on a second instance, and both would start the same copies", expr, period, timeout)
	}
	return ""
}

// cronPattern checks the template's SweepCron parameter the way
// functionNamePattern checks FunctionName: ROS refuses a value outside its
// AllowedPattern, so every schedule the pattern lets through must have a
// period the check can tell and the timeout fits in.
func (p *problems) cronPattern(t rosTemplate, file string, timeout time.Duration) {
	if _, ok := t.Parameters[sweepCronParam]; !ok {
		return // the timer's schedule is then written in the trigger and checked there
	}
	allowed := p.allowedPattern(t, file, sweepCronParam, "a stack could be given a schedule whose ticks overlap")
	if allowed == nil {
		return
	}
	for _, probe := range cronProbes() {
		if !allowed.MatchString(probe) {
			continue
		}
		if why := tickFits(probe, timeout); why != "" {
			p.add(file, "%s %q lets through %q: %s", sweepCronParam, allowed, probe, why)
		}
		// The function reads the same schedule from SWEEP_CRON and refuses,
		// at cold start, one whose period it is not built for.
		if _, err := config.Load(func(k string) string {
			return map[string]string{config.EnvDestinationRegions: "cn-hangzhou", config.EnvSweepCron: probe}[k]
		}); err != nil {
			p.add(file, "%s %q lets through %q, which the function refuses: %v", sweepCronParam, allowed, probe, err)
		}
	}
}

// cronProbes are schedules chosen to sit on the edges of a pattern: every
// minute step (the ones that do not divide 60 wrap early: */7 fires at
// :56 and :00), second steps, lists, ranges, hours, @every, and forms
// whose period cannot be told.
func cronProbes() []string {
	var probes []string
	for n := 1; n <= 60; n++ {
		probes = append(probes, fmt.Sprintf("0 */%d * * * *", n), fmt.Sprintf("0 0/%d * * * *", n),
			fmt.Sprintf("@every %dm", n), fmt.Sprintf("0 %d * * * *", n-1))
	}
	for _, n := range []int{1, 2, 5, 10, 15, 30} {
		probes = append(probes, fmt.Sprintf("*/%d * * * * *", n), fmt.Sprintf("0 0 */%d * * *", n), fmt.Sprintf("@every %ds", n*60-1))
	}
	return append(probes, "* * * * * *", "0 * * * * *", "0 0 * * * *", "0 0,1 * * * *", "0 0,4 * * * *",
		"0 0,30 * * * *", "0 1-59/2 * * * *", "0 0-59/5 * * * *", "0 */5 * * * ?", "0 */5 * * *", "0 */5 * * * * *",
		"0 0 0 L * ?", "@every 4m59s", "@every 5m", "@every 1h", "@every 1440m", "@every 1441m", "@every 9999m")
}
