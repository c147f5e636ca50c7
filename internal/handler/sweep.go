package handler

import (
	"context"
	"fmt"

	"github.com/rs/zerolog"

	"github.com/image-distributor/image-distributor/internal/appstream"
	"github.com/image-distributor/image-distributor/internal/config"
	"github.com/image-distributor/image-distributor/internal/plan"
	"github.com/image-distributor/image-distributor/internal/sweep"
	"github.com/image-distributor/image-distributor/internal/trigger"
)

const (
	pageSize = 100
	// maxPages bounds a listing: 100,000 images is far past any account.
	maxPages = 1000
)

// SweepError fails a timer invocation that could not list the images.
type SweepError struct{ Err error }

func (e *SweepError) Error() string { return "sweep: " + e.Err.Error() }
func (e *SweepError) Unwrap() error { return e.Err }

// sweep lists the images, reconciles the managed ones and starts copies
// of what is missing. Images named by the timer payload are managed along
// with the configured selection.
func (h *Handler) sweep(ctx context.Context, inv invocation, log zerolog.Logger, named []trigger.Image) (Result, error) {
	if !h.cfg.Sweep.Selects() && len(named) == 0 {
		// The timer is deployed before the operator opts in to sweeping; an
		// hourly failure would only fill the on-failure queue.
		log.Warn().Str("status", "sweep-disabled").Msg("nothing to sweep: the timer payload names no images and " +
			config.EnvSweepImageIDs + ", " + config.EnvSweepNamePattern + " and " + config.EnvSweepTags + " are unset")
		return Result{Results: []ImageResult{}}, nil
	}
	listed, err := h.listImages(ctx, inv.Credentials, named)
	if err != nil {
		return Result{}, &SweepError{Err: err}
	}
	items := sweep.Reconcile(listed, named, sweep.Settings{Plan: h.planSettings(), Sweep: h.cfg.Sweep}, h.now())
	res := Result{Results: make([]ImageResult, len(items))}
	var tasks []plan.Task
	var at []int
	for i, it := range items {
		if it.Action == sweep.Start {
			tasks, at = append(tasks, it.Task), append(at, i)
			continue
		}
		res.Results[i] = itemResult(it)
		logOutcome(log, res.Results[i])
	}
	for j, r := range h.execute(ctx, inv, log, tasks, known{}) {
		r.Progress = items[at[j]].Progress
		res.Results[at[j]] = r
	}
	return res, nil
}

// listImages pages through ListImage. The product filter goes to the API
// only when no payload image could fall outside it.
func (h *Handler) listImages(ctx context.Context, creds config.Credentials, named []trigger.Image) ([]appstream.Image, error) {
	var f appstream.ImageFilter
	if len(named) == 0 {
		f.ProductTypes = h.cfg.Sweep.ProductTypes
	}
	var all []appstream.Image
	for page := 1; page <= maxPages; page++ {
		var p appstream.Page
		_, err := h.withRetry(ctx, func(ctx context.Context) (err error) {
			p, err = h.api.ListPage(ctx, creds, f, page, pageSize)
			return err
		})
		if err != nil {
			return nil, err
		}
		all = append(all, p.Images...)
		if len(p.Images) == 0 || len(all) >= p.Total {
			return all, nil
		}
	}
	return nil, fmt.Errorf("list images: more than %d pages", maxPages)
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
	default:
		r.Status = StatusFailed
	}
	if it.Code != "" {
		r.Error = &ErrorInfo{Code: it.Code, Message: it.Reason, Retryable: it.Action != sweep.Failed}
	}
	return r
}
