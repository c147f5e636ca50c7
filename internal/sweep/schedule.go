package sweep

import "time"

// The backoff schedule. Nothing is remembered between ticks: a region's
// attempts follow from its image's creation time (GmtCreate, the anchor)
// and the tick's own time, so they are the same on a warm instance and on
// a fresh one, and a region that fails for months costs a known number of
// calls.
const (
	// FreshWindow: while its image was created or changed (GmtModified)
	// this recently, a missing region is asked for on every tick, so a
	// newly AVAILABLE image is copied on the next tick.
	FreshWindow = 2 * time.Hour
	// firstStep is the first point after the anchor; points double from
	// it until a day has passed, then come every day.
	firstStep = 5 * time.Minute
	day       = 24 * time.Hour
	// PersonAfter: a copy still failing once its image is this old needs a
	// person, and is reported at error level on each of its attempts.
	PersonAfter = day
	// unknownStep spaces the points of an image whose GmtCreate is absent
	// or unreadable: whole hours, UTC.
	unknownStep = time.Hour
)

// lastPoint is the schedule's latest point at or before now: anchor +
// 5 min·2^j while under a day, then anchor + n days. ok is false before the
// first point.
func lastPoint(anchor, now time.Time) (p time.Time, ok bool) {
	if anchor.IsZero() {
		return now.Truncate(unknownStep), true
	}
	age := now.Sub(anchor)
	switch {
	case age < firstStep:
		return time.Time{}, false
	case age >= day:
		return anchor.Add(age / day * day), true
	}
	step := firstStep
	for step*2 <= age && step*2 < day {
		step *= 2
	}
	return anchor.Add(step), true
}

// nextPoint is the schedule's first point after now.
func nextPoint(anchor, now time.Time) time.Time {
	if anchor.IsZero() {
		return now.Truncate(unknownStep).Add(unknownStep)
	}
	last, ok := lastPoint(anchor, now)
	switch {
	case !ok:
		return anchor.Add(firstStep)
	case last.Sub(anchor) >= day:
		return last.Add(day)
	case last.Sub(anchor)*2 < day:
		return anchor.Add(last.Sub(anchor) * 2)
	}
	return anchor.Add(day)
}

// pointDue reports whether a point falls in (now − window, now]: window is
// the time since the last tick that listed the image's page, so each
// point is seen by at least one tick that lists it, and by at most a few.
func pointDue(anchor, now time.Time, window time.Duration) bool {
	p, ok := lastPoint(anchor, now)
	return ok && p.After(now.Add(-window))
}
