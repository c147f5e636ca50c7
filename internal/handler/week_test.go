package handler

import (
	"context"
	"flag"
	"io"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/image-distributor/image-distributor/internal/appstream"
)

var fullWeek = flag.Bool("week.full", false, "run the simulated week at its full size: 10,000 images, 100 pages")

// A simulated week (issue 16): 2,016 ticks five minutes apart on a fake
// clock, against the in-memory API (the HTTP stand-in would take hours),
// ticks alternating between a warm instance and a fresh one, each with
// room for k pages after page 1. Images appear throughout the week, pages
// fail at random and copies fail at random. Every image reaches every
// desired region, each within its bound: the coverage cycle, plus one
// backoff step for each failed copy and each failed listing of its page.
// By default 2,000 images on 20 pages (500 with -short); -week.full
// runs 10,000 on 100: go test ./internal/handler -run Week -week.full -v.
func TestSweepWeek(t *testing.T) {
	images, qps, k := 2000, "0.1", 7
	if testing.Short() {
		images = 500
	}
	if *fullWeek {
		images, qps, k = 10000, "0.14", 10
	}
	const ticks, period, pFail, pPage = 2016, 5 * time.Minute, 0.2, 0.05
	rng := rand.New(rand.NewPCG(16, 2026))
	start := tickTime
	// A fifth of the images exist, copied, before the week; the rest
	// appear at random times during it, newest last so pages keep order.
	born := make([]time.Time, images)
	for i := range born {
		born[i] = start.Add(-48 * time.Hour)
		if i >= images/5 {
			born[i] = start.Add(time.Duration(rng.Int64N(int64(ticks-300) * int64(period))))
		}
	}
	slices.SortFunc(born, func(a, b time.Time) int { return a.Compare(b) })
	all := newCatalogue(images, func(i int) bool { return i < images/5 })
	for i := range all.images {
		all.images[i].Created = born[i]
	}
	api := newCatalogue(0, nil)
	failures := map[string]int{} // image/region → copies that failed
	pageMiss := map[int]int{}    // page → failed calls
	api.failCopy = func(id, region string) bool {
		if rng.Float64() < pFail {
			failures[id+"/"+region]++
			return true
		}
		return false
	}
	api.failPage = func(page int) error {
		if rng.Float64() < pPage {
			pageMiss[page]++
			return &appstream.Error{Code: "ServiceUnavailable", Class: appstream.Permanent}
		}
		return nil
	}
	env := map[string]string{"SWEEP_NAME_PATTERN": "fin-*", "API_QPS": qps, "MAX_CONCURRENCY": "1", "MAX_ATTEMPTS": "1"}
	var h *Handler
	appeared := map[string]int{}
	done := map[string]int{}
	missAt := map[string]int{} // image/region → page failures while it waited
	for n := range ticks {
		at := start.Add(time.Duration(n) * period)
		api.mu.Lock()
		for len(api.images) < images && !all.images[len(api.images)].Created.After(at) {
			img := all.images[len(api.images)]
			api.images = append(api.images, img)
			appeared[img.ImageID] = n
		}
		api.room, api.roomOnly = k, true
		clear(pageMiss)
		api.mu.Unlock()
		if h == nil || n%2 == 0 {
			h, _ = newSweepHandler(t, api, env)
			h.log = zerolog.New(io.Discard)
			h.limiter.SetLimit(1e9)
		}
		// A tick whose page 1 fails lists nothing and fails (SweepError).
		if _, err := h.Handle(context.Background(), []byte(tickAt(at))); err != nil && pageMiss[1] == 0 {
			t.Fatalf("tick %d: Handle() error = %v", n, err)
		}
		api.mu.Lock()
		for i, img := range api.images {
			for _, r := range []string{"cn-hangzhou", "cn-beijing"} {
				key := img.ImageID + "/" + r
				if _, ok := done[key]; ok {
					continue
				}
				if slices.ContainsFunc(img.Copies, func(c appstream.Copy) bool { return c.RegionID == r && c.Status == "AVAILABLE" }) {
					done[key] = n
				} else if pageMiss[i/pageSize+1] > 0 || pageMiss[1] > 0 {
					missAt[key]++
				}
			}
		}
		api.mu.Unlock()
		api.snapshot()
	}
	cycle := (images/pageSize + k - 1) / k
	worst, worstKey, clean, copies, pending := 0, "", 0, 0, 0
	for _, img := range api.images[images/5:] {
		for _, r := range []string{"cn-hangzhou", "cn-beijing"} {
			key := img.ImageID + "/" + r
			bound := weekBound(img.Created, start.Add(time.Duration(appeared[img.ImageID])*period), failures[key]+missAt[key], cycle, period) - appeared[img.ImageID]
			d, ok := done[key]
			switch {
			case !ok && appeared[img.ImageID]+bound < ticks:
				t.Errorf("%s never reached (%d copy failures, %d page failures)", key, failures[key], missAt[key])
				continue
			case !ok:
				pending++ // its bound falls after the week
				continue
			}
			copies++
			wait := d - appeared[img.ImageID]
			if wait > worst {
				worst, worstKey = wait, key
			}
			if failures[key] == 0 {
				clean = max(clean, wait)
			}
			if wait > bound {
				t.Errorf("%s waited %d ticks, want at most %d (%d copy failures, %d page failures)", key, wait, bound, failures[key], missAt[key])
			}
		}
	}
	api.mu.Lock()
	calls := 0
	for _, c := range api.calls {
		calls += len(c.Regions)
	}
	api.mu.Unlock()
	t.Logf("%d images, %d pages, k=%d, cycle %d ticks: %d copies reached, %d within bounds past the week; worst wait %d ticks (%s, %d copy failures), %d ticks without a copy failure; %d distribute calls for %d regions, %.2f regions asked per copy",
		images, images/pageSize, k, cycle, copies, pending, worst, worstKey, failures[worstKey], clean, len(api.calls), calls, float64(calls)/float64(copies))
}

// weekBound is the tick by which a region of an image created at created
// and first seen at seen must be reached, given steps lost attempts
// (failed copies and failed listings of its page): its page is listed
// within a cycle of ticks, so its first attempt comes by then, and each
// lost one moves it to the next point of the schedule (5 minutes after
// GmtCreate, doubling to a day, then daily), listed within a cycle after.
func weekBound(created, seen time.Time, steps, cycle int, period time.Duration) int {
	at := seen.Add(time.Duration(cycle) * period)
	for range steps {
		p := 5 * time.Minute
		for !created.Add(p).After(at) {
			if p < 24*time.Hour && p*2 < 24*time.Hour {
				p *= 2
			} else {
				p = (p/(24*time.Hour) + 1) * 24 * time.Hour
			}
		}
		at = created.Add(p).Add(time.Duration(cycle) * period)
	}
	return int(at.Sub(tickTime)/period) + 1
}
