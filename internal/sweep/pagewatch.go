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
	pages map[int]failing
}

// failing is one page's run of failures: since its first, and its last.
type failing struct{ since, last time.Time }

// Failed records that page failed at now and reports since when it has
// been failing as far as this instance knows, and whether that is long
// enough to be a person's. A failure more than gap after the page's last
// one starts a new run: gap is the longest two consecutive listings of
// the page may be apart (twice its cycle), so two passing failures hours
// apart, with ticks between that never reached the page, are not an hour
// of failing.
func (w *PageWatch) Failed(page int, now time.Time, gap time.Duration) (since time.Time, person bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.pages == nil {
		w.pages = map[int]failing{}
	}
	f, ok := w.pages[page]
	if !ok || f.since.After(now) || now.Sub(f.last) > gap {
		f.since = now
	}
	f.last = now
	w.pages[page] = f
	return f.since, now.Sub(f.since) >= PageFailingAfter
}

// Listed records that page was listed: its failures are over.
func (w *PageWatch) Listed(page int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	delete(w.pages, page)
}

// Forget drops the pages past the listing's last, which a shrinking
// catalogue no longer has.
func (w *PageWatch) Forget(after int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for p := range w.pages {
		if p > after {
			delete(w.pages, p)
		}
	}
}
