// Package cron tells how close together an FC timer trigger's schedule
// can fire, so that a sweep tick can be made to end before the next one
// is due.
package cron

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Period returns the shortest gap between two consecutive firings of an
// FC timer schedule: a six-field cron (seconds, minutes, hours, day of
// month, month, day of week; UTC) or "@every <duration>". It knows the
// characters FC documents (* , - / ?) and month and weekday names; any
// other form (L, W, #, five fields) is an error, because a schedule whose
// period it cannot tell cannot be proven not to overlap itself.
//
// When both day fields are restricted the days of either count, which
// can only add firings: the period returned is never longer than the
// real one, whichever way FC combines them.
func Period(expr string) (time.Duration, error) {
	expr = strings.TrimSpace(expr)
	if d, ok := strings.CutPrefix(expr, "@every "); ok {
		p, err := time.ParseDuration(strings.TrimSpace(d))
		if err != nil || p <= 0 {
			return 0, fmt.Errorf("cron %q: @every wants a positive duration such as 5m", expr)
		}
		return p, nil
	}
	fields := strings.Fields(expr)
	if len(fields) != 6 {
		return 0, fmt.Errorf("cron %q has %d fields, want 6 (seconds minutes hours day-of-month month day-of-week) or @every <duration>", expr, len(fields))
	}
	var sets [6][]int
	for i, f := range fields {
		set, err := parseField(f, fieldSpecs[i])
		if err != nil {
			return 0, fmt.Errorf("cron %q: %s field %q: %w", expr, fieldSpecs[i].name, f, err)
		}
		sets[i] = set
	}
	return minGap(sets, fields[3], fields[5])
}

// minGap walks the firings over a 28-year window, long enough for every
// pairing of weekday, leap year and day of month to occur.
func minGap(sets [6][]int, dom, dow string) (time.Duration, error) {
	var day []time.Duration // firing offsets within a firing day, ascending
	for _, h := range sets[2] {
		for _, m := range sets[1] {
			for _, s := range sets[0] {
				day = append(day, time.Duration(h)*time.Hour+time.Duration(m)*time.Minute+time.Duration(s)*time.Second)
			}
		}
	}
	gap := time.Duration(0)
	for i := 1; i < len(day); i++ {
		if g := day[i] - day[i-1]; gap == 0 || g < gap {
			gap = g
		}
	}
	anyDOM, anyDOW := unrestricted(dom), unrestricted(dow)
	if anyDOM && anyDOW && len(sets[4]) == 12 { // every day: no need to walk
		if g := 24*time.Hour - day[len(day)-1] + day[0]; gap == 0 || g < gap {
			gap = g
		}
		return gap, nil
	}
	months, doms, dows := member(sets[4]), member(sets[3]), member(sets[5])
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	end := start.AddDate(28, 0, 0)
	var last time.Time
	days := 0
	for d := start; d.Before(end); d = d.Add(24 * time.Hour) { // UTC: no DST
		if !months[d.Month()] {
			continue
		}
		inDOM, inDOW := doms[d.Day()], dows[d.Weekday()]
		switch {
		case anyDOM && anyDOW, anyDOW && inDOM, anyDOM && inDOW:
		case !anyDOM && !anyDOW && (inDOM || inDOW):
		default:
			continue
		}
		if days > 0 {
			if g := d.Add(day[0]).Sub(last); gap == 0 || g < gap {
				gap = g
			}
		}
		last, days = d.Add(day[len(day)-1]), days+1
	}
	if days == 0 || (days == 1 && len(day) == 1) {
		return 0, fmt.Errorf("cron fires at most once in 28 years; its period cannot be told")
	}
	return gap, nil
}

func unrestricted(f string) bool { return f == "*" || f == "?" }

// member turns a set of field values into a lookup table.
func member(set []int) (m [60]bool) {
	for _, v := range set {
		m[v] = true
	}
	return m
}

type fieldSpec struct {
	name     string
	min, max int
	names    []string // names[i] stands for min+i
}

var fieldSpecs = [6]fieldSpec{
	{name: "seconds", max: 59},
	{name: "minutes", max: 59},
	{name: "hours", max: 23},
	{name: "day-of-month", min: 1, max: 31},
	{name: "month", min: 1, max: 12, names: strings.Fields("JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC")},
	{name: "day-of-week", max: 6, names: strings.Fields("SUN MON TUE WED THU FRI SAT")},
}

// parseField reads one field into the sorted set of values it allows.
func parseField(f string, spec fieldSpec) ([]int, error) {
	var set []int
	for _, part := range strings.Split(f, ",") {
		rng, stepText, stepped := strings.Cut(part, "/")
		step := 1
		if stepped {
			n, err := strconv.Atoi(stepText)
			if err != nil || n < 1 {
				return nil, fmt.Errorf("step %q is not a positive number", stepText)
			}
			step = n
		}
		lo, hi := spec.min, spec.max
		switch {
		case rng == "*" || (rng == "?" && (spec.name == "day-of-month" || spec.name == "day-of-week")):
		default:
			a, b, isRange := strings.Cut(rng, "-")
			var err error
			if lo, err = spec.value(a); err != nil {
				return nil, err
			}
			hi = lo
			if isRange {
				if hi, err = spec.value(b); err != nil {
					return nil, err
				}
			} else if stepped {
				hi = spec.max // "5/15" means from 5 on, every 15
			}
			if hi < lo {
				return nil, fmt.Errorf("range %q runs backwards", rng)
			}
		}
		for v := lo; v <= hi; v += step {
			if !slices.Contains(set, v) {
				set = append(set, v)
			}
		}
	}
	slices.Sort(set)
	return set, nil
}

func (s fieldSpec) value(text string) (int, error) {
	if i := slices.Index(s.names, strings.ToUpper(text)); i >= 0 {
		return s.min + i, nil
	}
	n, err := strconv.Atoi(text)
	if err != nil || n < s.min || n > s.max {
		return 0, fmt.Errorf("%q is not a value from %d to %d (FC's special characters are * , - / ?)", text, s.min, s.max)
	}
	return n, nil
}
