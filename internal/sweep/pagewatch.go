package sweep

import (
	"sync"
	"time"
)

// PageFailingAfter is how long a listing page may fail before it is a
// person's: until then each failure is a warning.
const PageFailingAfter = time.Hour

// PageWatch remembers, on one instance, since when each listing page has
// failed. Nothing in a listing says how long a page has failed, so this is
// the one thing the sweep keeps between ticks, and only in memory: a fresh
// instance knows nothing of earlier failures, and a page that fails on a
// run of cold ticks is reported at warn level on each until one instance
// has seen it fail for PageFailingAfter. It is safe for concurrent use.
type PageWatch struct {
	mu    sync.Mutex
	since map[int]time.Time
}

// Failed records that page failed at now and reports since when it has
// been failing as far as this instance knows, and whether that is long
// enough to be a person's.
func (w *PageWatch) Failed(page int, now time.Time) (since time.Time, person bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.since == nil {
		w.since = map[int]time.Time{}
	}
	since, ok := w.since[page]
	if !ok || since.After(now) {
		since, w.since[page] = now, now
	}
	return since, now.Sub(since) >= PageFailingAfter
}

// Listed records that page was listed: its failures are over.
func (w *PageWatch) Listed(page int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	delete(w.since, page)
}
