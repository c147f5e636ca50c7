package handler

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync"
	"sync/atomic"

	"github.com/rs/zerolog"

	"github.com/image-distributor/image-distributor/internal/appstream"
	"github.com/image-distributor/image-distributor/internal/sweep"
)

const (
	pageSize = 100
	// maxPages bounds a listing: 100,000 images is far past any account,
	// and a wild Count must not make a tick plan millions of calls.
	maxPages = 1000
)

// pageCursor remembers, on a warm instance, the first page the last sweep
// did not list, so that a catalogue too large for one invocation is
// covered tick after tick rather than listed from the top each time.
type pageCursor struct{ next atomic.Int32 }

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
	total  int   // pages in the listing, page 1 included
	listed int   // pages listed, page 1 included
	next   int   // first page in fetch order not listed; 0 when none
	err    error // the last page's error, if any
	// capped: Count asks for more than maxPages pages. uncounted: Count is
	// below what page 1 holds, so how many pages follow is unknown.
	capped, uncounted bool
}

// listRest fetches pages 2 onwards, at most MaxConcurrency at a time, each
// through the rate limiter, and sends each as it arrives. A page that
// fails is skipped; a deadline stops the fetching. Pages are fetched from
// page from (where the last sweep on this instance stopped; the caller
// decides whether to remember where this one stops), or from a random
// page when from is 0, wrapping round.
func (h *Handler) listRest(ctx context.Context, inv invocation, f appstream.ImageFilter, first appstream.Page, from int) *listing {
	n, capped := pageCount(first)
	order := pageOrder(n, from)
	l := &listing{pages: make(chan appstream.Page), total: n, capped: capped,
		uncounted: first.Total < len(first.Images) && len(first.Images) >= pageSize}
	got := make([]bool, len(order))
	queue := make(chan int, len(order))
	for i := range order {
		queue <- i
	}
	close(queue)
	var mu sync.Mutex
	var wg sync.WaitGroup
	for range min(h.cfg.MaxConcurrency, len(order)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range queue {
				if ctx.Err() != nil {
					return
				}
				p, err := h.safeListPage(ctx, inv, f, order[i])
				if err != nil {
					mu.Lock()
					l.err = err
					mu.Unlock()
					continue
				}
				got[i] = true
				l.pages <- p
			}
		}()
	}
	go func() {
		wg.Wait()
		l.listed = 1
		for i, ok := range got {
			switch {
			case ok:
				l.listed++
			case l.next == 0:
				l.next = order[i]
			}
		}
		close(l.pages)
	}()
	return l
}

// walk lists page 1, then the rest concurrently from page from (see
// listRest), and hands each page's reconciled items to use as the page
// arrives, so what a page shows is acted on before the listing ends. It
// fails only when page 1 cannot be listed; the sweep and the status query
// about every image both list this way.
func (h *Handler) walk(ctx context.Context, inv invocation, f appstream.ImageFilter, from int, pass *sweep.Pass, use func([]sweep.Item)) (first appstream.Page, l *listing, err error) {
	first, err = h.listPage(ctx, inv, f, 1)
	if err != nil {
		return first, nil, err
	}
	use(pass.Page(first.Images))
	l = h.listRest(ctx, inv, f, first, from)
	// A panic in use must not leave the listers blocked on a page nobody takes.
	defer l.drain()
	for p := range l.pages {
		use(pass.Page(p.Images))
	}
	return first, l, nil
}

// safeListPage is listPage in a goroutine of its own, where a panic would
// end the process and every invocation running in it.
func (h *Handler) safeListPage(ctx context.Context, inv invocation, f appstream.ImageFilter, page int) (p appstream.Page, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("list images page %d: %w", page, h.recovered(inv, r))
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

// complete tells, once pages is closed, whether every image was listed.
func (l *listing) complete() bool { return l.listed == l.total && !l.capped && !l.uncounted }

// report logs a listing that did not cover every page and tells whether
// it did.
func (l *listing) report(log zerolog.Logger) bool {
	switch {
	case l.capped:
		log.Warn().Int("pages_total", l.total).Msgf("ListImage counts more than %d pages; the sweep lists only the first %d", maxPages, maxPages)
	case l.uncounted:
		log.Warn().Msg("ListImage's Count is less than page 1 holds, so the sweep cannot tell how many pages follow and lists only page 1")
	}
	if l.listed == l.total {
		return l.complete()
	}
	ev := log.Warn().Str("status", "listing-incomplete").Int("pages_listed", l.listed).Int("pages_total", l.total).Int("next_page", l.next)
	var ae *appstream.Error
	if errors.As(l.err, &ae) {
		ev = ev.Str("error_code", ae.Code).Str("error_message", l.err.Error())
	}
	ev.Msg("the sweep did not list every page; copies of what it listed are started, and the next tick lists the rest first")
	return false
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

// pageOrder lists pages 2..n starting from page from and wrapping round;
// a from outside that range starts at a random page.
func pageOrder(n, from int) []int {
	if n < 2 {
		return nil
	}
	if from < 2 || from > n {
		from = 2 + rand.IntN(n-1)
	}
	order := make([]int, 0, n-1)
	for i := range n - 1 {
		order = append(order, 2+(from-2+i)%(n-1))
	}
	return order
}
