package handler

import (
	"context"
	"sync"
	"time"

	"github.com/rs/zerolog"

	"github.com/image-distributor/image-distributor/internal/appstream"
	"github.com/image-distributor/image-distributor/internal/config"
	"github.com/image-distributor/image-distributor/internal/plan"
	"github.com/image-distributor/image-distributor/internal/reading"
	"github.com/image-distributor/image-distributor/internal/sweep"
	"github.com/image-distributor/image-distributor/internal/trigger"
)

// SweepError fails a timer invocation that could not list any image.
type SweepError struct{ Err error }

func (e *SweepError) Error() string { return "sweep: " + e.Err.Error() }
func (e *SweepError) Unwrap() error { return e.Err }

// sweep lists the images, reconciles the managed ones page by page and
// starts copies of what is missing as soon as each page is in, so a tick
// that runs out of time has still started what it saw. Images named by the
// timer payload are managed along with the configured selection. Which
// pages it lists first and which regions are due follow from the tick's
// own time, at (see package sweep); the handler only carries that out.
//
// It fails only when page 1 cannot be listed: once anything was listed,
// what was started stays started, and the pages not listed are left to
// later ticks.
func (h *Handler) sweep(ctx context.Context, inv invocation, log zerolog.Logger, named []trigger.Image, at time.Time) (Result, error) {
	if !h.cfg.Sweep.Selects() && len(named) == 0 {
		// The timer is deployed before the operator opts in to sweeping; an
		// hourly failure would only fill the on-failure queue.
		log.Warn().Str("status", "sweep-disabled").Msg("nothing to sweep: the timer payload names no images and " + sweepSelectors + " are unset")
		return Result{Results: []ImageResult{}}, nil
	}
	// Once per tick: what ListImage answered that the function could not read.
	ctx, seen := reading.Watch(ctx)
	defer seen.Warn(log)
	if at.IsZero() {
		at = h.now()
		log.Warn().Str("status", "no-trigger-time").Msg("the timer event has no RFC 3339 triggerTime, so this tick runs by the instance's clock: a retry of it may list other pages")
	}
	tick := h.tick(ctx, at)
	if tick.Superseded(h.now()) {
		// A late retry of a tick that failed: the next tick is due, or
		// running on another instance, and lists for itself.
		log.Warn().Str("status", "tick-superseded").Time("trigger_time", at).
			Msg("this tick is a retry that arrives when the next tick is due; it does nothing, and the next tick sweeps")
		return Result{Results: []ImageResult{}}, nil
	}
	// The tick's work ends before the next tick is due, whatever the
	// function's timeout, so two ticks never start the same copies.
	// The time left is measured on h.now, the clock the tick's time is
	// compared with.
	if left := tick.End().Sub(h.now()); left > 0 {
		if dl, ok := ctx.Deadline(); !ok || left < time.Until(dl) {
			var cancel context.CancelFunc
			ctx, cancel = context.WithTimeout(ctx, left)
			defer cancel()
		}
	}
	pass := sweep.NewPass(named, h.sweepSettings(), at)
	st := h.newStarter(ctx, inv, log)
	// A panic below must not leave the workers waiting for work.
	defer st.stop()
	res := Result{Results: []ImageResult{}}
	add := func(items []sweep.Item) {
		for _, it := range items {
			if it.Action == sweep.Start {
				st.start(len(res.Results), it)
				res.Results = append(res.Results, ImageResult{})
				continue
			}
			r := itemResult(it)
			judge(log, it, &r)
			logOutcome(log, r)
			res.Results = append(res.Results, r)
		}
	}
	first, l, err := h.walk(ctx, inv, h.sweepFilter(named), tick, pass, add)
	if err != nil {
		return Result{}, &SweepError{Err: err}
	}
	complete := h.report(log, first, l, pass, at)
	add(pass.Unlisted(complete))
	if len(h.cfg.Sweep.Tags) > 0 && pass.Untagged() {
		log.Warn().Str("status", "no-tags").Msg(noTagsWarning)
	}
	st.wait(res.Results)
	return res, nil
}

// tick is the sweep's clock at a tick's time.
// It is made when the invocation starts, before any call, so its page
// budget is the same for every tick of one deployment (see pagesPerTick).
func (h *Handler) tick(ctx context.Context, at time.Time) sweep.Tick {
	return sweep.Tick{At: at, Period: h.cfg.SweepPeriod, Pages: h.pagesPerTick(ctx)}
}

// sweepSelectors names the variables that select images for the sweep.
const sweepSelectors = config.EnvSweepImageIDs + ", " + config.EnvSweepNamePattern + ", " + config.EnvSweepTags + " and " + config.EnvSweepCreated

// noTagsWarning explains a SWEEP_TAGS that selects nothing.
const noTagsWarning = config.EnvSweepTags + " is set but no listed image carries any tag, so it selects nothing: " +
	"ListImage may not return TagList (its December 2025 response schema has none). Select by " +
	config.EnvSweepImageIDs + ", " + config.EnvSweepNamePattern + " or " + config.EnvSweepCreated + " instead"

func (h *Handler) sweepSettings() sweep.Settings {
	return sweep.Settings{Plan: h.planSettings(), Sweep: h.cfg.Sweep, Period: h.cfg.SweepPeriod}
}

// sweepFilter narrows the listing on the server: User images only, since
// nothing else is ever managed, and the product filter when no payload
// image could fall outside it.
func (h *Handler) sweepFilter(named []trigger.Image) appstream.ImageFilter {
	f := appstream.ImageFilter{ImageType: "User"}
	if len(named) == 0 {
		f.ProductTypes = h.cfg.Sweep.ProductTypes
	}
	return f
}

// starter starts copies while the listing goes on, at most MaxConcurrency
// images at a time, through the same execute path as events.
type starter struct {
	jobs    chan *startJob
	all     []*startJob
	wg      sync.WaitGroup
	stopped sync.Once
}

type startJob struct {
	at  int // index in the sweep's results
	it  sweep.Item
	res ImageResult
}

func (h *Handler) newStarter(ctx context.Context, inv invocation, log zerolog.Logger) *starter {
	// The pass starts at most MaxImages images, so start never blocks the
	// listing.
	s := &starter{jobs: make(chan *startJob, max(h.cfg.MaxImages, 1))}
	for range h.cfg.MaxConcurrency {
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			for j := range s.jobs {
				j.res = h.startCopy(ctx, inv, log, j.it)
			}
		}()
	}
	return s
}

func (s *starter) start(at int, it sweep.Item) {
	j := &startJob{at: at, it: it}
	s.all = append(s.all, j)
	s.jobs <- j
}

// stop tells the workers no more copies are coming.
func (s *starter) stop() { s.stopped.Do(func() { close(s.jobs) }) }

// wait lets the started copies finish and puts their results in place.
func (s *starter) wait(results []ImageResult) {
	s.stop()
	s.wg.Wait()
	for _, j := range s.all {
		results[j.at] = j.res
	}
}

// startCopy is the sweep's one use of execute: one task, its answers
// judged by the policy (judge) and its outcome logged there like an
// event's.
func (h *Handler) startCopy(ctx context.Context, inv invocation, log zerolog.Logger, it sweep.Item) ImageResult {
	amend := func(r *ImageResult) {
		r.Progress = it.Progress
		judge(log, it, r)
	}
	k := known{amend: amend}
	if it.Listed.ImageID != "" {
		k.listed = map[string]appstream.Image{it.ImageID: it.Listed}
	}
	return h.execute(ctx, inv, log, []plan.Task{it.Task}, k)[0]
}
