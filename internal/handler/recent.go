package handler

import (
	"sync"
	"time"

	"github.com/image-distributor/image-distributor/internal/plan"
)

// recentTTL is how long a region's copy is remembered. EventBridge and FC
// redeliver within minutes; past this the API's RepeatedDistribution
// answer still keeps a late duplicate from copying twice.
const recentTTL = 15 * time.Minute

// maxRecent bounds the memory a busy instance may spend on it.
const maxRecent = 10000

// recent remembers the regions whose copy this instance saw the API start
// or report as existing, so that a duplicate delivered soon after makes no
// call when no listing says otherwise, and the regions the API refused on
// their own, so that they are not asked together with others again. It holds nothing about calls in flight: go1 serves one request per
// instance and plan.Make collapses duplicates within one event, so there
// is nothing to share, and nothing a panic could leave half-done.
type recent struct {
	mu      sync.Mutex
	ttl     time.Duration
	entries map[string]remembered
}

type remembered struct {
	taskID string // empty when the API only said the copy exists
	at     time.Time
	// alone marks a region the API refused when asked on its own, rather
	// than a success.
	alone bool
}

func newRecent(ttl time.Duration) *recent {
	return &recent{ttl: ttl, entries: map[string]remembered{}}
}

// recentKey names one region's copy of one version of an image.
func recentKey(t plan.Task, region string) string {
	return t.ImageID + "|" + t.VersionID + "|" + region
}

// get reports whether key succeeded within the TTL, and its task ID.
func (c *recent) get(key string, now time.Time) (taskID string, ok bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[key]
	if !ok || e.alone || now.Sub(e.at) >= c.ttl {
		return "", false
	}
	return e.taskID, true
}

// refusedAlone reports whether key's region was refused on its own within
// the TTL: a call naming it with others would be refused whole again, so
// it is asked alone. It never spares a call, so the sweep may use it too.
func (c *recent) refusedAlone(key string, now time.Time) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[key]
	return ok && e.alone && now.Sub(e.at) < c.ttl
}

// put remembers a success. A full memory first drops expired entries,
// then any until it is a quarter below full, so the scan runs once per
// maxRecent/4 inserts rather than on every insert of a busy instance.
func (c *recent) put(key, taskID string, now time.Time) {
	c.store(key, remembered{taskID: taskID, at: now})
}

// refuse remembers that key's region was refused on its own; a later
// success replaces it.
func (c *recent) refuse(key string, now time.Time) {
	c.store(key, remembered{at: now, alone: true})
}

func (c *recent) store(key string, e remembered) {
	now := e.at
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.entries) >= maxRecent {
		for k, old := range c.entries {
			if now.Sub(old.at) >= c.ttl || len(c.entries) > maxRecent*3/4 {
				delete(c.entries, k)
			}
		}
	}
	c.entries[key] = e
}
