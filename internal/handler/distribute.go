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
	// recent lets the memory of recent successes spare a call that no
	// listing contradicts, and records new ones. The sweep never uses
	// it: it acts on what ListImage shows, and a copy this instance
	// started minutes ago may have failed since. Nor does an operator's
	// POST, which is answered from what is true now.
	recent bool
	// lookup reads, before calling, the state of each image listed lacks,
	// with one ListImage filtered on its ID (see lookup).
	lookup bool
	// listed holds the images a listing showed, by ID. execute only reads
	// it, from several goroutines.
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
		var view *appstream.Image
		if img, ok := k.listed[t.ImageID]; ok {
			view = &img
		}
		look := k.lookup && view == nil && !h.cfg.DryRun
		if !look {
			h.protect(inv, r, func() { h.prepare(r, t, view, k.recent) })
			if len(r.open()) == 0 {
				r.settle()
				k.amendResult(r)
				logOutcome(log, *r)
				continue
			}
		}
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			h.protect(inv, r, func() {
				if look {
					view = h.lookup(ctx, inv, log, t.ImageID)
					h.prepare(r, t, view, k.recent)
				}
				if len(r.open()) > 0 {
					h.distribute(ctx, inv, r, t, view, k.recent)
				}
			})
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
// region of r still undecided; regions already answered keep their answer
// and task ID. Recovered here, a panic ends neither the process (and
// every invocation in it) nor the other images of the batch, and the
// failure is retryable, so FC redelivers the event.
func (h *Handler) protect(inv invocation, r *ImageResult, f func()) {
	defer func() {
		if rec := recover(); rec != nil {
			r.fail(&ErrorInfo{Code: "InternalError", Message: h.recovered(inv, rec, r.ImageID).Error(), Retryable: true})
		}
	}()
	f()
}

// prepare decides what needs no call: everything under DRY_RUN, an image a
// listing shows still being built, and regions a listing shows holding or
// copying the version. A listed image is decided by its listing alone: a
// region it shows failed or without a copy is called for, whatever the
// memory says. Only for an image no listing showed does the memory of
// recent successes spare a call.
func (h *Handler) prepare(r *ImageResult, t plan.Task, img *appstream.Image, memory bool) {
	if h.cfg.DryRun {
		for _, region := range t.Regions {
			r.decide(RegionResult{Region: region, Status: StatusDryRun})
		}
		return
	}
	if img != nil {
		if why := sweep.NotReady(img.Status); why != "" {
			e := &ErrorInfo{Code: sweep.CodeNotReady, Message: why, Retryable: true}
			for _, region := range t.Regions {
				r.decide(RegionResult{Region: region, Status: StatusDeferred, Error: e})
			}
			return
		}
		states := sweep.Regions(*img, cmp.Or(t.VersionID, img.VersionID))
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
		return
	}
	if !memory {
		return
	}
	for _, region := range r.open() {
		if taskID, ok := h.recent.get(recentKey(t, region), h.now()); ok {
			r.decide(RegionResult{Region: region, Status: StatusAlready, TaskID: taskID})
		}
	}
}

// distribute asks the API for the regions of r still undecided: those
// the API refused on their own lately each alone, the rest in one call.
// A region refused alone while the others could take the copy shows that
// the refusal is about that region, whatever its code; asked with them
// again, it could refuse them all. img is the image as listed just
// before, if it was.
func (h *Handler) distribute(ctx context.Context, inv invocation, r *ImageResult, t plan.Task, img *appstream.Image, memory bool) {
	a := asking{r: r, t: t, young: young(img, h.now()), memory: memory}
	for _, rr := range r.Regions {
		a.copied = a.copied || rr.Status == StatusAlready
	}
	var together, alone []string
	for _, region := range r.open() {
		if h.recent.refusedAlone(recentKey(t, region), h.now()) {
			alone = append(alone, region)
		} else {
			together = append(together, region)
		}
	}
	if len(together) > 0 {
		h.ask(ctx, inv, a, together)
	}
	for _, region := range alone {
		h.ask(ctx, inv, a, []string{region})
	}
}

// asking is what ask needs to know about the image it asks for.
type asking struct {
	r      *ImageResult
	t      plan.Task
	young  bool // a "not yet" answer means not yet (see young)
	memory bool // record successes in the memory
	// copied: another destination region holds or is copying the
	// version, as a listing or the memory shows, so the image itself can
	// be copied and a refusal of the rest may be about one of them.
	copied bool
}

// ask makes one distribute call for regions, with retries, and records
// the answer in the result at once, so that a panic or the deadline in a
// later call loses neither this region nor its task ID. The API may
// refuse a whole call for a reason about one region it names
// (appstream.PerRegion; the stand-in's pessimistic reading, the documents
// do not say), so such an answer to a call of several regions decides
// none of them: each is asked on its own, and the ones that can take the
// copy get it in this invocation. So does any refusal that a retry would
// not change once another region is known to hold the copy (a.copied),
// unless it refuses the caller (a key without the permission, a bad
// signature), which every region would only repeat.
func (h *Handler) ask(ctx context.Context, inv invocation, a asking, regions []string) {
	d := appstream.Distribution{ImageID: a.t.ImageID, VersionID: a.t.VersionID,
		ProductType: a.t.ProductType, SourceRegion: a.t.SourceRegion, Regions: regions}
	var s appstream.Started
	attempts, err := h.withRetry(ctx, func(ctx context.Context) (err error) {
		s, err = h.api.Distribute(ctx, inv.Credentials, d)
		return err
	})
	a.r.Attempts += attempts
	var ae *appstream.Error
	if len(regions) > 1 && errors.As(err, &ae) && (appstream.PerRegion(ae.Code) ||
		(a.copied && !appstream.AboutTheCaller(ae.Code) && (ae.Class == appstream.Permanent || ae.Class == appstream.Deferred))) {
		for _, region := range regions {
			h.ask(ctx, inv, a, []string{region})
		}
		return
	}
	rs := outcome(regions, s, attempts, err, a.young)
	a.r.decide(rs...)
	for _, rr := range rs {
		key := recentKey(a.t, rr.Region)
		switch {
		case rr.Status == StatusStarted || rr.Status == StatusAlready:
			if a.memory {
				h.recent.put(key, rr.TaskID, h.now())
			}
		case len(regions) == 1 && refused(rr):
			h.recent.refuse(key, h.now())
		}
	}
}

// refused reports an answer that a retry within minutes would not change:
// deferred, or failed for good.
func refused(rr RegionResult) bool {
	return rr.Status == StatusDeferred || (rr.Status == StatusFailed && rr.Error != nil && !rr.Error.Retryable)
}
