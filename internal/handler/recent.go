package handler

import (
	"sync"
	"time"
)

// recentTTL is how long a started copy is remembered. EventBridge and FC
// redeliver within minutes; past this the API's RepeatedDistribution answer
// still keeps a late duplicate from copying twice.
const recentTTL = 15 * time.Minute

// maxRecent bounds the memory the cache may take on a busy instance.
const maxRecent = 10000

// recent collapses identical tasks on one instance: a duplicate that
// arrives while the first is in flight waits for its outcome, and one that
// arrives soon after a success reuses it without calling the API.
type recent struct {
	mu      sync.Mutex
	ttl     time.Duration
	entries map[string]*entry
}

type entry struct {
	done chan struct{}
	res  ImageResult
	at   time.Time
}

func newRecent(ttl time.Duration) *recent {
	return &recent{ttl: ttl, entries: map[string]*entry{}}
}

// do runs fn unless an entry for key is in flight or succeeded within the
// TTL, in which case it returns that outcome and shared=true. Failures are
// not remembered, so the next delivery tries again.
func (c *recent) do(key string, now func() time.Time, fn func() ImageResult) (res ImageResult, shared bool) {
	c.mu.Lock()
	if e, ok := c.entries[key]; ok {
		select {
		case <-e.done:
			if now().Sub(e.at) < c.ttl {
				c.mu.Unlock()
				return e.res, true
			}
		default:
			c.mu.Unlock()
			<-e.done
			return e.res, true
		}
	}
	if len(c.entries) >= maxRecent {
		c.evict(now())
	}
	e := &entry{done: make(chan struct{})}
	c.entries[key] = e
	c.mu.Unlock()

	e.res = fn()
	e.at = now()
	ok := e.res.Status == StatusStarted || e.res.Status == StatusAlready
	c.mu.Lock()
	if !ok {
		delete(c.entries, key)
	}
	close(e.done)
	c.mu.Unlock()
	return e.res, false
}

// evict drops expired entries, then finished ones until the cache is a
// quarter below full; in-flight entries stay so their waiters are
// answered. Stopping short of full makes the scan happen once per
// maxRecent/4 inserts, not on every insert of a busy instance (where it
// took two thirds of an invocation's CPU time).
func (c *recent) evict(now time.Time) {
	for k, e := range c.entries {
		select {
		case <-e.done:
			if now.Sub(e.at) >= c.ttl || len(c.entries) > maxRecent*3/4 {
				delete(c.entries, k)
			}
		default:
		}
	}
}
