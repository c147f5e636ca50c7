package handler

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/rs/zerolog"

	"github.com/image-distributor/image-distributor/internal/appstream"
	"github.com/image-distributor/image-distributor/internal/reading"
	"github.com/image-distributor/image-distributor/internal/sweep"
)

const (
	pageSize = 100
	// maxPages bounds a listing: 100,000 images is far past any account,
	// and a wild Count must not make a tick plan millions of calls.
	maxPages = 1000
)

// listPage fetches one page through the rate limiter and the retry loop,
// like any other call.
func (h *Handler) listPage(ctx context.Context, inv invocation, f appstream.ImageFilter, page int) (appstream.Page, error) {
	var p appstream.Page
	_, err := h.withRetry(ctx, func(ctx context.Context) (err error) {
		p, err = h.api.ListPage(ctx, inv.Credentials, f, page, pageSize)
		return err
	})
	return p, err
}

// listing is the rest of a listing after page 1, fetched concurrently.
// pages is closed once every fetch has ended; the fields are then final.
type listing struct {
	pages  chan appstream.Page
	total  int // pages in the listing, page 1 included
	listed int // pages listed, page 1 included
	cycle  int // ticks it takes to list every page (sweep.Cycle)
	// failed holds each page that failed, with its error; done the pages
	// after page 1 that were listed.
	failed map[int]error
	done   []int
	// capped: Count asks for more than maxPages pages. uncounted: Count is
	// below what page 1 holds, so how many pages follow is unknown.
	capped, uncounted bool
}

// listRest fetches pages 2 onwards in the order the tick's slot gives
// (sweep.Pages), at most MaxConcurrency at a time, each through the rate
// limiter, and sends each as it arrives. A page that fails is passed; a
// deadline stops the fetching.
func (h *Handler) listRest(ctx context.Context, inv invocation, f appstream.ImageFilter, first appstream.Page, tick sweep.Tick) *listing {
	n, capped := pageCount(first)
	k := tick.Pages
	order := sweep.Pages(n, tick.Index(), k)
	l := &listing{pages: make(chan appstream.Page), total: n, cycle: sweep.Cycle(n, k), capped: capped, failed: map[int]error{},
		uncounted: first.Total < len(first.Images) && len(first.Images) >= pageSize}
	queue := make(chan int, len(order))
	for _, p := range order {
		queue <- p
	}
	close(queue)
	var mu sync.Mutex
	var wg sync.WaitGroup
	l.listed = 1
	for range min(h.cfg.MaxConcurrency, len(order)) {
		wg.Go(func() {
			for page := range queue {
				if ctx.Err() != nil {
					return
				}
				p, err := h.safeListPage(ctx, inv, f, page)
				mu.Lock()
				if err != nil {
					l.failed[page] = err
				} else {
					l.listed++
					l.done = append(l.done, page)
				}
				mu.Unlock()
				if err == nil {
					l.pages <- p
				}
			}
		})
	}
	go func() {
		wg.Wait()
		close(l.pages)
	}()
	return l
}

// pagesPerTick is how many pages after page 1 a tick can be counted on to
// list (sweep.PagesPerTick): within SWEEP_CRON's period less the margin,
// or the invocation's time when shorter, at API_QPS, or MAX_CONCURRENCY
// calls a second when that is lower (a call taking up to a second). Taken
// as the invocation starts, its time is the function's timeout less what
// a start costs; cut to whole tens of seconds, that is the same figure on
// every tick of one deployment, a retried tick included, so the tick's
// runs of pages and their cycle do not move with latency.
func (h *Handler) pagesPerTick(ctx context.Context) int {
	budget := h.cfg.SweepPeriod - sweep.TickMargin
	if d, ok := ctx.Deadline(); ok {
		budget = min(budget, time.Until(d).Truncate(10*time.Second))
	}
	return sweep.PagesPerTick(budget, min(h.cfg.APIQPS, float64(h.cfg.MaxConcurrency)))
}

// walk lists page 1, then the rest concurrently in the order tick's slot
// gives (see listRest), and hands each page's reconciled items to use as the page
// arrives, so what a page shows is acted on before the listing ends. It
// fails only when page 1 cannot be listed; the sweep and the status query
// about every image both list this way.
func (h *Handler) walk(ctx context.Context, inv invocation, f appstream.ImageFilter, tick sweep.Tick, pass *sweep.Pass, use func([]sweep.Item)) (first appstream.Page, l *listing, err error) {
	first, err = h.listPage(ctx, inv, f, 1)
	if err != nil {
		return first, nil, err
	}
	l = h.listRest(ctx, inv, f, first, tick)
	// The listers are running: a panic in use, page 1's included, must not
	// leave them blocked on a page nobody takes.
	defer l.drain()
	pass.Cycle(l.cycle)
	seen := reading.From(ctx)
	sweep.NoteHomes(seen, first.Images)
	use(pass.Page(first.Images))
	for p := range l.pages {
		sweep.NoteHomes(seen, p.Images)
		use(pass.Page(p.Images))
	}
	return first, l, nil
}

// safeListPage is listPage in a goroutine of its own, where a panic would
// end the process and every invocation running in it.
func (h *Handler) safeListPage(ctx context.Context, inv invocation, f appstream.ImageFilter, page int) (p appstream.Page, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("list images page %d: %w", page, h.recovered(inv, r, ""))
		}
	}()
	return h.listPage(ctx, inv, f, page)
}

// drain takes the pages nobody will, so that no lister stays blocked on
// one after its reader has gone (a panic).
func (l *listing) drain() {
	for range l.pages {
	}
}

// firstError is the error of the lowest page that failed, or nil: what a
// partial answer names as its cause.
func (l *listing) firstError() error {
	if len(l.failed) == 0 {
		return nil
	}
	return l.failed[slices.Min(slices.Collect(maps.Keys(l.failed)))]
}

// report logs each failed page with its error, and a listing that left
// images out with why (listingOf, the status query's own rule), and tells
// whether every image was listed. A page this instance has seen failing
// for sweep.PageFailingAfter is reported at error level (page-failing),
// the rest at warn level.
func (h *Handler) report(log zerolog.Logger, first appstream.Page, l *listing, pass *sweep.Pass, now time.Time) bool {
	for _, p := range l.done {
		h.pages.Listed(p)
	}
	h.pages.Forget(l.total)
	// Consecutive listings of a page are a cycle apart; two cycles leave
	// room for one tick that never reached it.
	gap := 2 * time.Duration(max(l.cycle, 1)) * h.cfg.SweepPeriod
	for _, p := range slices.Sorted(maps.Keys(l.failed)) {
		err := l.failed[p]
		since, person := h.pages.Failed(p, now, gap)
		ev, status := log.Warn(), "page-failed"
		if person {
			ev, status = log.Error(), string(sweep.PageFailing)
		}
		ev = ev.Str("status", status).Int("page", p).Time("failing_since", since)
		ev = withError(ev, err)
		if person {
			ev = ev.Str("check", sweep.Advice(sweep.PageFailing))
		}
		ev.Msg("a page of the listing failed; the sweep went past it, and the images on it wait for a tick that lists it")
	}
	lst := listingOf(first, l, pass)
	if !lst.Complete {
		log.Warn().Str("status", "listing-incomplete").Str("reason", lst.Reason).Int("pages_listed", l.listed).Int("pages_total", l.total).
			Int("pages_failed", len(l.failed)).Int("cycle_ticks", l.cycle).
			Msg("the sweep did not list every image; copies of what it listed are started, and later ticks list the rest: every page is among a tick's first pages once every cycle_ticks ticks")
	}
	return lst.Complete
}

// pageCount is how many pages the listing has, from page 1's Count. A
// server that pages by fewer images than asked for is paged by its size.
func pageCount(first appstream.Page) (n int, capped bool) {
	size := pageSize
	if got := len(first.Images); got > 0 && got < size && first.Total > got {
		size = got
	}
	n = (max(first.Total, len(first.Images)) + size - 1) / size
	return min(max(n, 1), maxPages), n > maxPages
}
