package handler

import (
	"errors"
	"strings"
	"time"

	"github.com/rs/zerolog"

	"github.com/image-distributor/image-distributor/internal/appstream"
	"github.com/image-distributor/image-distributor/internal/trigger"
)

// logOutcome writes the one line per image that answers "which task copied
// which image where, and why not". Failures a retry cannot fix, in any
// region, are errors, so an SLS alert on level=error finds exactly what
// needs a person; the sweep's, which it reports on every tick, only at
// their backoff steps, and warnings between.
func logOutcome(log zerolog.Logger, r ImageResult) {
	ev := log.Info()
	switch {
	case r.needsPerson():
		ev = log.Error()
		// The alert groups by image and region: a failure in one region
		// is that region's.
		if f := r.failedForGood(); len(f) == 1 {
			ev = ev.Str("region", f[0])
		}
	case r.Error != nil:
		ev = log.Warn()
	}
	ev = ev.Str("image_id", r.ImageID).
		Str("version_id", r.VersionID).
		Str("product_type", r.ProductType).
		Str("source_region", r.SourceRegion).
		Strs("destination_regions", r.DestinationRegions).
		Str("status", string(r.Status)).
		Str("task_id", r.TaskID).
		Str("api_request_id", r.APIRequestID).
		Int("attempts", r.Attempts).
		Strs("event_ids", r.eventIDs)
	if len(r.Regions) > 0 {
		ev = ev.Array("regions", regionsLog(r.Regions))
	}
	if len(r.Progress) > 0 {
		ev = ev.Interface("progress", r.Progress)
	}
	if r.NextAttempt != "" {
		ev = ev.Str("next_attempt", r.NextAttempt)
	}
	if r.Error != nil {
		ev = ev.Str("error_code", r.Error.Code).Str("error_message", r.Error.Message).Bool("retryable", r.Error.Retryable)
	}
	ev.Msg("image " + string(r.Status))
}

// regionsLog writes each region's outcome with snake_case keys; the
// worst region's error message is the image's own error_message.
type regionsLog []RegionResult

func (rs regionsLog) MarshalZerologArray(a *zerolog.Array) {
	for _, r := range rs {
		a.Object(regionLog(r))
	}
}

type regionLog RegionResult

func (r regionLog) MarshalZerologObject(e *zerolog.Event) {
	e.Str("region", r.Region).Str("status", string(r.Status))
	if r.TaskID != "" {
		e.Str("task_id", r.TaskID)
	}
	if r.APIRequestID != "" {
		e.Str("api_request_id", r.APIRequestID)
	}
	if r.NextAttempt != "" {
		e.Str("next_attempt", r.NextAttempt)
	}
	if r.Error != nil {
		e.Str("error_code", r.Error.Code).Bool("retryable", r.Error.Retryable)
	}
}

// summary writes one line per invocation with the counts by status. err
// is the error the invocation returns, if any.
func (h *Handler) summary(log zerolog.Logger, start time.Time, c counts, skipped int, err error) {
	ev := log.Info()
	if c.byStatus[StatusFailed]+c.byStatus[StatusRefused]+c.byStatus[StatusOtherVersion] > 0 || err != nil {
		ev = log.Warn()
	}
	// Every status has its field, so the counts add up to images.
	ev = ev.Int("images", total(c))
	for _, s := range statuses {
		ev = ev.Int(strings.ReplaceAll(string(s), "-", "_"), c.byStatus[s])
	}
	ev = ev.Int("skipped", skipped).Int64("duration_ms", h.now().Sub(start).Milliseconds())
	// The error itself is returned to FC, which records it; its code here
	// lets one SLS query count rejected events and failed sweeps.
	var ie *trigger.InputError
	var ae *appstream.Error
	switch {
	case errors.As(err, &ie):
		ev = ev.Str("input_error_code", ie.Code)
	case errors.As(err, &ae):
		ev = ev.Str("error_code", ae.Code)
	}
	ev.Msg("invocation finished")
}

func total(c counts) int {
	n := 0
	for _, v := range c.byStatus {
		n += v
	}
	return n
}
