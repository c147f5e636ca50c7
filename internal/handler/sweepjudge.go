package handler

import (
	"time"

	"github.com/rs/zerolog"

	"github.com/image-distributor/image-distributor/internal/sweep"
)

// judge carries out the sweep policy's reading of one image's result:
// each answer becomes what the policy calls it (sweep.Attempt.Judge), the
// regions the tick did not ask for are added as waiting for their step,
// and each concern that is a person's now gets its own error-level line,
// grouped by image and region for an alert.
func judge(log zerolog.Logger, it sweep.Item, r *ImageResult) {
	if it.Action != sweep.Start && it.Action != sweep.Backoff && it.Action != sweep.Refuse {
		return // over the cap on starts: not reached, whatever was due
	}
	asked := map[string]int{}
	for i, rr := range r.Regions {
		asked[rr.Region] = i
	}
	for _, a := range it.Attempts {
		i, ok := asked[a.Region]
		if !ok {
			rr := RegionResult{Region: a.Region, Status: StatusBackoff, NextAttempt: stamp(a.Next)}
			if it.Action == sweep.Refuse {
				rr.Status, rr.Error = StatusRefused, &ErrorInfo{Code: it.Code, Message: it.Reason}
			}
			r.Regions = append(r.Regions, rr)
			i = len(r.Regions) - 1
		}
		rr := &r.Regions[i]
		ans := sweep.AnswerRefused
		if it.Action != sweep.Refuse {
			ans = answerOf(*rr)
		}
		c, person := a.Judge(ans)
		switch c {
		case sweep.Refused:
			rr.Status = StatusRefused
		case sweep.OtherVersionHeld:
			rr.Status = StatusOtherVersion
			rr.Error = &ErrorInfo{Code: "ImageDistribute.RepeatedDistribution",
				Message: "the region holds another version of the image, and the API answers RepeatedDistribution for version " + it.Task.VersionID}
		}
		if c != "" {
			rr.NextAttempt = stamp(a.Next)
		}
		if person {
			concern(log, it, *rr, c)
		}
	}
	if len(r.Regions) > 0 {
		r.settle()
	}
	if r.Status == StatusBackoff || r.Status == StatusRefused {
		r.NextAttempt = stamp(it.NextAttempt())
	}
}

// answerOf classes one region's answer as the policy reads it.
func answerOf(rr RegionResult) sweep.Answer {
	switch {
	case rr.Status == StatusStarted:
		return sweep.AnswerStarted
	case rr.Status == StatusAlready:
		return sweep.AnswerRepeated
	case rr.Status == StatusFailed && rr.Error != nil && !rr.Error.Retryable:
		return sweep.AnswerRefused
	}
	return sweep.AnswerOther
}

// concern writes the error-level line for a region that needs a person.
// Its status is the concern; image_id and region let an alert group it.
func concern(log zerolog.Logger, it sweep.Item, rr RegionResult, c sweep.Concern) {
	ev := log.Error().Str("status", string(c)).Str("image_id", it.ImageID).Str("version_id", it.Task.VersionID).
		Str("region", rr.Region).Str("region_status", string(rr.Status))
	if rr.Error != nil {
		ev = ev.Str("error_code", rr.Error.Code).Str("error_message", rr.Error.Message)
	}
	if rr.NextAttempt != "" {
		ev = ev.Str("next_attempt", rr.NextAttempt)
	}
	ev.Str("check", sweep.Advice(c)).Msg("a region of the image needs a person")
}

// stamp writes a time as results and logs show it; "" for zero.
func stamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// itemResult reports a sweep decision that needs no API call.
func itemResult(it sweep.Item) ImageResult {
	t := it.Task
	r := ImageResult{ImageID: it.ImageID, VersionID: t.VersionID, ProductType: t.ProductType, SourceRegion: t.SourceRegion,
		DestinationRegions: t.Regions, Progress: it.Progress}
	switch it.Action {
	case sweep.Complete:
		r.Status = StatusComplete
	case sweep.InProgress:
		r.Status = StatusInProgress
	case sweep.Deferred:
		r.Status = StatusDeferred
	case sweep.NotReached:
		r.Status = StatusNotReached
	case sweep.Backoff:
		r.Status = StatusBackoff
		r.NextAttempt = stamp(it.NextAttempt())
	case sweep.Refuse:
		r.Status = StatusRefused
		r.NextAttempt = stamp(it.NextAttempt())
	case sweep.SourceUnknown:
		r.Status = StatusSourceUnknown
	default:
		// Blocked: failed, and a person's only at the image's steps.
		r.Status, r.NextAttempt, r.betweenSteps = StatusFailed, stamp(it.NextAttempt()), !it.Step
	}
	if it.Code != "" {
		r.Error = &ErrorInfo{Code: it.Code, Message: it.Reason, Retryable: it.Action != sweep.Blocked && it.Action != sweep.Refuse}
	}
	if it.Region != "" {
		r.Regions = []RegionResult{{Region: it.Region, Status: r.Status, NextAttempt: r.NextAttempt, Error: r.Error}}
	}
	return r
}
