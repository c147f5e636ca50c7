package sweep

import "time"

// Attempt is the sweep's call on one desired region that is neither done
// nor copying: whether this tick asks for it, and what a problem found
// there means.
type Attempt struct {
	Region string
	State  State // Missing or Failed
	// OtherVersion: the region holds another version of the image, so a
	// RepeatedDistribution answer there is about that version, not this one.
	OtherVersion bool
	Due          bool // asked for this tick (unless the whole image is refused)
	// Step: a schedule point falls on this tick, so a problem found now is
	// reported at error level, once per backoff step. An attempt made only
	// because the image is fresh reports it at warn level.
	Step bool
	// PastBound: a Failed region of an image older than PersonAfter, or
	// of unknown age. At each of its steps it is a person's (copy-failing).
	PastBound bool
	Next      time.Time // the schedule's next point
}

// attempt decides for region in state st of an image created at created
// and last changed at changed (either zero when unknown).
func attempt(region string, st State, other bool, created, changed time.Time, t Tick, window time.Duration) Attempt {
	a := Attempt{Region: region, State: st, OtherVersion: other, Next: nextPoint(created, t.At)}
	a.Step = pointDue(created, t.At, window)
	fresh := latest(created, changed)
	a.Due = a.Step || (st == Missing && !fresh.IsZero() && t.At.Sub(fresh) < FreshWindow)
	a.PastBound = st == Failed && (created.IsZero() || t.At.Sub(created) >= PersonAfter)
	return a
}

func latest(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// Answer is how the API answered a start for one region, by class.
type Answer int

// The answers.
const (
	AnswerStarted  Answer = iota // a copy was started
	AnswerRepeated               // RepeatedDistribution
	AnswerRefused                // a permanent error
	AnswerOther                  // retryable, deferred or not reached
)

// Concern is a problem on one region that a person may need to act on;
// the values are the status of the log line that reports it.
type Concern string

// The concerns. They are what the error-level lines of the sweep say, and
// what an alert groups by image and region.
const (
	// CopyFailing: a copy still CREATE_FAILED past PersonAfter.
	CopyFailing Concern = "copy-failing"
	// Refused: the API refuses the region for good (a permanent error, or
	// an encrypted image, which is not asked at all).
	Refused Concern = "refused"
	// OtherVersionHeld: the region holds another version and the API
	// answers RepeatedDistribution for this one.
	OtherVersionHeld Concern = "other-version"
	// PageFailing: a listing page has failed for PageFailingAfter.
	PageFailing Concern = "page-failing"
)

// Judge reads the answer to this tick's attempt: the concern it shows, if
// any, and whether it is a person's now (error level) or a warning.
func (a Attempt) Judge(ans Answer) (Concern, bool) {
	switch {
	case ans == AnswerRefused:
		return Refused, a.Step
	case ans == AnswerRepeated && a.OtherVersion:
		return OtherVersionHeld, a.Step
	case a.State == Failed && a.PastBound:
		return CopyFailing, a.Step
	}
	return "", false
}

// Advice says what a person should check for a concern.
func Advice(c Concern) string {
	switch c {
	case CopyFailing:
		return "the copy to this region has failed for more than a day and is retried once a day: check the region's quota and that the image's parent and base images are there, then the copy's error in the WUYING console"
	case Refused:
		return "the API refuses to copy the image to this region; it is asked again only at the backoff steps: read error_code (an encrypted image, ImageNotSupport, cannot be distributed at all)"
	case OtherVersionHeld:
		return "the region holds another version of the image and the API answers RepeatedDistribution for this one; it is asked again at the backoff steps: distribute the version by hand, or remove the old copy"
	case PageFailing:
		return "one page of ListImage has failed on every tick for an hour; the images on it are not reconciled: read error_code"
	}
	return ""
}

// unlistedAnchor anchors the schedule of a payload image the listing
// lacks, which has no GmtCreate: the Unix epoch, so its steps are the
// daily points, each midnight UTC, the same on every instance. Nothing is
// spent on such an image, so a daily reminder is enough; the whole hours
// of an unreadable GmtCreate would page again at every alert repeat.
var unlistedAnchor = time.Unix(0, 0).UTC()

// block reports it as Blocked: a problem no tick fixes, a person's at the
// backoff steps of anchor (see Item.Step) and reported, with its next
// step, on the ticks between.
func (it *Item) block(code, reason, region string, anchor time.Time, t Tick, window time.Duration) {
	it.Action, it.Code, it.Reason, it.Region = Blocked, code, reason, region
	it.Step, it.Next = pointDue(anchor, t.At, window), nextPoint(anchor, t.At)
}
