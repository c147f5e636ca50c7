package handler

import (
	"cmp"
	"context"
	"errors"
	"sync"

	"github.com/rs/zerolog"

	"github.com/image-distributor/image-distributor/internal/appstream"
	"github.com/image-distributor/image-distributor/internal/plan"
	"github.com/image-distributor/image-distributor/internal/sweep"
)

// known is what execute may trust to skip a call.
type known struct {
	// recent allows the memory of recent successes. The sweep never uses
	// it: it acts on what ListImage shows, and a copy this instance
	// started minutes ago may have failed since.
	recent bool
	// listed holds the images a listing showed, by ID.
	listed map[string]appstream.Image
	// amend, when set, revises each settled result before it is logged:
	// the sweep's reading of the answers (see judge).
	amend func(*ImageResult)
}

// execute distributes the tasks, at most MaxConcurrency at a time, and
// logs each outcome. Regions already known to hold a copy are not asked
// for, so the images that need a call are the ones that take the time.
// Results come in task order.
func (h *Handler) execute(ctx context.Context, inv invocation, log zerolog.Logger, tasks []plan.Task, k known) []ImageResult {
	results := make([]ImageResult, len(tasks))
	var wg sync.WaitGroup
	sem := make(chan struct{}, h.cfg.MaxConcurrency)
	for i, t := range tasks {
		r := &results[i]
		*r = newResult(t)
		h.protect(inv, r, func() { h.prepare(r, t, k) })
		if len(r.open()) == 0 {
			r.settle()
			k.amendResult(r)
			logOutcome(log, *r)
			continue
		}
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			h.protect(inv, r, func() { h.distribute(ctx, inv, r, t, k) })
			r.settle()
			k.amendResult(r)
			logOutcome(log, *r)
		})
	}
	wg.Wait()
	return results
}

func (k known) amendResult(r *ImageResult) {
	if k.amend != nil {
		k.amend(r)
	}
}

// protect runs f and turns a panic in it into a retryable failure of every
// region of r still undecided. Recovered here, a panic ends neither the
// process (and every invocation in it) nor the other images of the batch,
// and the failure is retryable, so FC redelivers the event.
func (h *Handler) protect(inv invocation, r *ImageResult, f func()) {
	defer func() {
		if rec := recover(); rec != nil {
			r.fail(&ErrorInfo{Code: "InternalError", Message: h.recovered(inv, rec).Error(), Retryable: true})
		}
	}()
	f()
}

// prepare decides what needs no call: everything under DRY_RUN, an image a
// listing shows still being built, regions a listing shows holding or
// copying the version, and regions recently remembered. Only answers to
// distribute calls are remembered: a listing is read again next time.
func (h *Handler) prepare(r *ImageResult, t plan.Task, k known) {
	if h.cfg.DryRun {
		for _, region := range t.Regions {
			r.decide(RegionResult{Region: region, Status: StatusDryRun})
		}
		return
	}
	if img, ok := k.listed[t.ImageID]; ok {
		if why := sweep.NotReady(img.Status); why != "" {
			e := &ErrorInfo{Code: sweep.CodeNotReady, Message: why, Retryable: true}
			for _, region := range t.Regions {
				r.decide(RegionResult{Region: region, Status: StatusDeferred, Error: e})
			}
			return
		}
		states := sweep.Regions(img, cmp.Or(t.VersionID, img.VersionID))
		for _, region := range t.Regions {
			if st, ok := states[region]; ok && (st.State == sweep.Done || st.State == sweep.Copying) {
				r.decide(RegionResult{Region: region, Status: StatusAlready})
				if st.State == sweep.Copying {
					if r.Progress == nil {
						r.Progress = map[string]string{}
					}
					r.Progress[region] = st.Progress
				}
			}
		}
	}
	if !k.recent {
		return
	}
	for _, region := range r.open() {
		if taskID, ok := h.recent.get(recentKey(t, region), h.now()); ok {
			r.decide(RegionResult{Region: region, Status: StatusAlready, TaskID: taskID})
		}
	}
}

// distribute asks the API for the regions of r still undecided, in one
// call. The memory learns of a success only once every call is answered,
// so a panic leaves nothing behind.
func (h *Handler) distribute(ctx context.Context, inv invocation, r *ImageResult, t plan.Task, k known) {
	rs, attempts := h.call(ctx, inv, t, r.open())
	r.Attempts += attempts
	r.decide(rs...)
	if !k.recent {
		return
	}
	for _, rr := range rs {
		if rr.Status == StatusStarted || rr.Status == StatusAlready {
			h.recent.put(recentKey(t, rr.Region), rr.TaskID, h.now())
		}
	}
}

// call makes one distribute call for regions, with retries. The API may
// refuse a whole call with RepeatedDistribution because one region holds a
// copy (the stand-in's pessimistic reading; the documents do not say), so
// that answer counts as done only for a call of one region. With more,
// each region is asked on its own. It returns the attempts made.
func (h *Handler) call(ctx context.Context, inv invocation, t plan.Task, regions []string) ([]RegionResult, int) {
	d := appstream.Distribution{ImageID: t.ImageID, VersionID: t.VersionID,
		ProductType: t.ProductType, SourceRegion: t.SourceRegion, Regions: regions}
	var s appstream.Started
	attempts, err := h.withRetry(ctx, func(ctx context.Context) (err error) {
		s, err = h.api.Distribute(ctx, inv.Credentials, d)
		return err
	})
	var ae *appstream.Error
	if len(regions) < 2 || !errors.As(err, &ae) || ae.Class != appstream.AlreadyDone {
		return outcome(regions, s, attempts, err), attempts
	}
	var out []RegionResult
	for _, region := range regions {
		rs, n := h.call(ctx, inv, t, []string{region})
		out, attempts = append(out, rs...), attempts+n
	}
	return out, attempts
}
