package main_test

import (
	"fmt"
	"math/rand/v2"
	"sync"
	"time"
)

// maxRedeliveries is FC's asynchronous retry budget as deployed
// (BACKOFF_RETRY, 3 retries).
const maxRedeliveries = 3

// job is one attempt at a delivery, or a timer tick (d nil).
type job struct {
	d       *delivery
	attempt int // 0 for the first delivery, then 1..maxRedeliveries
	gen     int // the process generation of the previous attempt
}

// verdict is how one attempt ended, for FC.
type verdict int

const (
	done    verdict = iota // answered, and nothing to redeliver
	retry                  // FC (or the HTTP caller) delivers again
	refused                // answered with a failure no retry is for
)

// final is how a delivery ended once FC stopped redelivering it.
type final struct {
	v     verdict
	reqID string // its last attempt
}

// scheduler hands out attempts: redeliveries first, then new deliveries.
// A redelivery bound for a fresh process waits for the next restart. One
// comes every restartEvery attempts: most wait for the invocations in
// flight to answer, as when FC retires an idle instance, and one in
// hardEvery kills them, as when an instance dies mid-invocation.
type scheduler struct {
	s            *soak
	rng          *rand.Rand
	mu           sync.Mutex
	cond         *sync.Cond
	ready        []*job
	parked       []*job
	inflight     int
	generated    int
	total        int
	sinceRestart int
	restartEvery int
	gen          int
	restarting   bool
	draining     bool // no new attempt until the process is replaced
	sinceTick    int
	tickEvery    int
	ticking      bool
	finals       map[int]final
	deliveries   []*delivery
}

// next returns the next attempt and the process generation it starts
// on, or false when every delivery has ended.
func (q *scheduler) next() (*job, int, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for {
		switch {
		case q.s.stopped():
			return nil, 0, false
		case q.draining && q.inflight == 0 && !q.restarting:
			q.restartLocked()
			continue
		case q.draining:
		case q.sinceTick >= q.tickEvery && !q.ticking:
			q.ticking, q.sinceTick = true, 0
			q.inflight++
			return &job{}, q.gen, true
		case len(q.ready) > 0:
			j := q.ready[0]
			q.ready = q.ready[1:]
			q.inflight++
			return j, q.gen, true
		case q.generated < q.total:
			q.generated++
			d := q.s.gen.next()
			q.deliveries = append(q.deliveries, d)
			q.inflight++
			return &job{d: d}, q.gen, true
		case q.inflight == 0 && len(q.parked) == 0:
			return nil, 0, false
		case q.inflight == 0 && !q.restarting:
			q.restartLocked()
			continue
		}
		q.cond.Wait()
	}
}

// finish records an attempt's verdict and schedules what follows.
func (q *scheduler) finish(j *job, gen int, v verdict, reqID string) {
	q.mu.Lock()
	defer q.mu.Unlock()
	defer q.cond.Broadcast()
	q.inflight--
	q.sinceRestart++
	q.sinceTick++
	switch {
	case j.d == nil:
		q.ticking = false
	case v == retry && j.attempt < maxRedeliveries:
		nj := &job{d: j.d, attempt: j.attempt + 1, gen: gen}
		if j.d.fresh[j.attempt] && q.gen == gen {
			q.parked = append(q.parked, nj)
		} else {
			q.ready = append(q.ready, nj)
		}
	default:
		q.finals[j.d.n] = final{v: v, reqID: reqID}
	}
	switch {
	case q.restarting || q.draining || q.sinceRestart < q.restartEvery:
	case q.rng.IntN(hardEvery) == 0:
		q.restartLocked()
	default:
		q.draining = true
	}
	if q.draining && q.inflight == 0 && !q.restarting {
		q.restartLocked()
	}
}

// hardEvery is how many restarts in one kill the invocations in flight.
const hardEvery = 3

// restartLocked replaces the process; q.mu is held on entry and exit but
// released while the process restarts, so answers keep coming in.
func (q *scheduler) restartLocked() {
	q.restarting = true
	q.mu.Unlock()
	q.s.restart()
	q.mu.Lock()
	q.restarting, q.draining, q.sinceRestart = false, false, 0
	q.gen++
	q.ready = append(q.ready, q.parked...)
	q.parked = nil
	q.cond.Broadcast()
}

// work runs attempts until there are none left.
func (q *scheduler) work() {
	for {
		j, gen, ok := q.next()
		if !ok {
			return
		}
		if j.d == nil {
			q.s.tick(nil, time.Now())
			q.finish(j, gen, done, "")
			continue
		}
		reqID := fmt.Sprintf("soak-%d-%d", j.d.n, j.attempt)
		v := q.s.attempt(j, gen, reqID)
		q.finish(j, gen, v, reqID)
	}
}
