package main_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/image-distributor/image-distributor/internal/appstream/appstreamtest"
	"github.com/image-distributor/image-distributor/internal/fctest"
)

// Sweep ticks the soak allows to finish what the redeliveries left; the
// last ones run without faults.
const (
	soakTicks       = 10
	soakFaultyTicks = 5
	soakTickImages  = 100 // images a tick's payload names
	soakTickTimeout = 30 * time.Second
)

// checkDeliveries holds every delivery whose redeliveries were spent to
// its last answer: each region it left was last reported retryable,
// deferred or not reached (or not reported: its process was replaced).
// One that asked for no redelivery had every region held when it
// answered (judgeResult). It returns every region asked for, with its
// image, and those left.
func (s *soak) checkDeliveries(q *scheduler) (asked map[pair]*soakImage, left map[pair]bool) {
	asked, left = map[pair]*soakImage{}, map[pair]bool{}
	for _, d := range q.deliveries {
		f, ok := q.finals[d.n]
		if !ok {
			continue // the run was stopped early
		}
		for _, p := range d.pairs() {
			asked[p] = s.gen.byID[p.image]
			if s.sb.API.Holds(p.image, p.region) {
				continue
			}
			switch f.v {
			case done: // checked when it answered: then, every region was held
			case retry:
				st, retryable, logged := s.watch.regionOutcome(f.reqID, p)
				// A copy started and then failed (the stand-in fails some on
				// purpose) is the sweep's to finish, whatever was answered.
				failedSince := copied(s.sb.API, p.image, p.region)
				if logged && !failedSince && st != "deferred" && st != "not-reached" && (st != "failed" || !retryable) {
					s.fail("lost: %s in %s: delivery %d's last attempt left it %s (retryable %v)", p.image, p.region, d.n, st, retryable)
				}
			}
			left[p] = true
		}
	}
	return asked, left
}

// sweepLeft runs timer ticks naming the images with regions not held,
// as the sweep is the documented path for what redeliveries leave, until
// every region asked for is held.
func (s *soak) sweepLeft(asked map[pair]*soakImage) {
	s.gen.ripen(math.MaxInt)
	base := time.Now()
	for tick := 1; ; tick++ {
		missing := map[string][]string{} // image → regions
		for p := range asked {
			if !s.sb.API.Holds(p.image, p.region) {
				missing[p.image] = append(missing[p.image], p.region)
			}
		}
		if len(missing) == 0 || s.stopped() {
			return
		}
		if tick > soakTicks {
			s.fail("%d images still lack regions after %d sweep ticks: %v", len(missing), soakTicks, firstOf(missing, 10))
			return
		}
		if tick == soakFaultyTicks+1 {
			s.sb.API.InjectFaults(appstreamtest.Faults{})
			s.sb.API.SetCopyFailures(0, 0)
		}
		s.count(func(st *soakStats) { st.finalTicks++ })
		ids := slices.Sorted(maps.Keys(missing))
		for len(ids) > 0 {
			n := min(len(ids), soakTickImages)
			var images []map[string]any
			for _, id := range ids[:n] {
				regions := slices.Sorted(slices.Values(missing[id]))
				images = append(images, map[string]any{"imageId": id, "productType": asked[pair{id, regions[0]}].Product,
					"sourceRegion": soakHome, "destinationRegions": regions})
			}
			// A day apart by their triggerTime (SWEEP_CRON is @every 24h), so
			// every failed copy is at a backoff step on each.
			s.tick(mustJSON(map[string]any{"images": images}), base.Add(time.Duration(tick)*24*time.Hour))
			ids = ids[n:]
		}
	}
}

// tick runs one timer invocation fired at at with payload; with none,
// the sweep selects by SWEEP_NAME_PATTERN, every soak image.
func (s *soak) tick(payload []byte, at time.Time) {
	reqID := fmt.Sprintf("tick-%d", s.ticks.Add(1))
	ev := mustJSON(map[string]any{"triggerTime": at.UTC().Format(time.RFC3339), "triggerName": "soak",
		"payload": string(payload)})
	ctx, cancel := context.WithTimeout(context.Background(), soakTickTimeout+hangGrace)
	defer cancel()
	res, err := s.sb.Runtime.Invoke(ctx, fctest.Invocation{Event: ev, RequestID: reqID, Timeout: soakTickTimeout})
	switch {
	case errors.Is(err, fctest.ErrInstanceExited):
		return // a hard restart; the next tick comes
	case err != nil:
		s.fail("sweep tick: no answer: %v", err)
		return
	}
	s.answeredBy(reqID)
	if res.Duration > soakTickTimeout {
		s.fail("sweep tick answered after %v, past its %v deadline", res.Duration, soakTickTimeout)
	}
	s.payloads.Write(res.Payload)
	if res.Error != nil && res.Error.ErrorType != "SweepError" {
		s.fail("sweep tick failed with %s: %s", res.Error.ErrorType, res.Error.ErrorMessage)
	}
	var r result
	if res.Error == nil && json.Unmarshal(res.Payload, &r) == nil {
		for _, ir := range r.Results {
			s.claim(pair{ir.ImageID, ""}, ir.TaskID, "tick answer")
			for _, rr := range ir.Regions {
				s.claim(pair{ir.ImageID, rr.Region}, rr.TaskID, "tick answer")
			}
		}
	}
}

// checkOutput applies what the watcher saw and the end-of-run checks: no
// problem line; every task ID mentioned was issued, and each reported for
// a region was issued by a call for that image naming that region; one
// summary line per answered invocation; and no credential in any answer
// (the sandbox scans the logs). watchExit saw to it that no process
// exited on its own.
func (s *soak) checkOutput() {
	problems, logIDs, _, _ := s.watch.report()
	for _, p := range problems {
		s.fail("%s", p)
	}
	issued := map[string]appstreamtest.Call{}
	for _, c := range s.sb.API.Calls() {
		if c.TaskID != "" {
			issued[c.TaskID] = c
		}
	}
	for id := range logIDs {
		if _, ok := issued[id]; !ok {
			s.fail("task ID %s was logged, but the stand-in never issued it", id)
		}
	}
	for _, c := range append(s.watch.claimed(), s.claims...) {
		call, ok := issued[c.taskID]
		switch {
		case !ok:
			s.fail("%s: task ID %s for %s, which the stand-in never issued", c.where, c.taskID, c.image)
		case call.ImageID != c.image || c.region != "" && !slices.Contains(call.DestinationRegions, c.region):
			s.fail("%s: task ID %s for %s in %s, but it was issued for %s in %v", c.where, c.taskID, c.image, c.region, call.ImageID, call.DestinationRegions)
		}
	}
	for _, req := range s.answered {
		if lines, _ := s.watch.summary(req); len(lines) != 1 {
			n := len(lines)
			s.fail("invocation %s answered with %d summary lines, want 1", req, n)
		}
	}
	assertNoSecrets(s.t, s.payloads)
}

// report logs the run's figures, as docs/reliability.md quotes them.
func (s *soak) report(q *scheduler, asked map[pair]*soakImage, left map[pair]bool, events, total time.Duration) {
	forms, mentions, images := map[string]int{}, 0, map[string]bool{}
	for _, d := range q.deliveries {
		forms[d.form]++
		mentions += len(d.asks)
		for _, a := range d.asks {
			images[a.img.ID] = true
		}
	}
	finals := map[verdict]int{}
	for _, f := range q.finals {
		finals[f.v]++
	}
	calls := map[string]int{}
	for _, c := range s.sb.API.Calls() {
		calls[c.Action]++
	}
	faults, injected := map[appstreamtest.Fault]int{}, 0
	for k, n := range s.sb.API.Injected() {
		faults[k.Fault] += n
		injected += n
	}
	_, _, statuses, lines := s.watch.report()
	st := s.stats
	s.t.Logf(`soak figures, %s reading:
  deliveries %d (%s), image mentions %d, distinct images %d, regions asked for %d
  attempts %d: redeliveries %d (%d to a fresh process), process restarts %d, invocations killed in flight %d
  last answers: done %d, redeliveries spent %d, refused %d
  API calls %v; faults injected %d (%.0f%% of calls): %v; copies failed after their start %d
  image outcomes logged %v; image statuses in answers %v
  regions left for the sweep %d, held after %d rounds of ticks; timer ticks %d in all
  duration %v (events %v), peak RSS %d KiB, output lines %d`,
		s.reading, len(q.deliveries), fmtCounts(forms), mentions, len(images), len(asked),
		st.attempts, st.redeliveries, st.fresh, st.restarts, st.killed,
		finals[done], finals[retry], finals[refused],
		calls, injected, 100*float64(injected)/float64(max(1, sum(calls))), fmtCounts(faults), s.sb.API.CopiesFailed(),
		fmtCounts(statuses), fmtCounts(st.results),
		len(left), st.finalTicks, s.ticks.Load(),
		total.Round(time.Second), events.Round(time.Second), st.peakRSSKB, lines)
}

func fmtCounts[K ~string](m map[K]int) string {
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(m)) {
		parts = append(parts, fmt.Sprintf("%s %d", k, m[k]))
	}
	return strings.Join(parts, ", ")
}

func sum(m map[string]int) int {
	n := 0
	for _, v := range m {
		n += v
	}
	return n
}

func firstOf(m map[string][]string, n int) map[string][]string {
	out := map[string][]string{}
	for _, k := range slices.Sorted(maps.Keys(m))[:min(n, len(m))] {
		out[k] = m[k]
	}
	return out
}

func splitLines(s string) []string { return strings.Split(s, "\n") }
