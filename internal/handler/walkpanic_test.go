package handler

import (
	"bytes"
	"context"
	"runtime"
	"testing"
	"time"

	"github.com/rs/zerolog"
)

// panicWriter panics on the first line naming its image: a bug in the
// code that handles page 1's items.
type panicWriter struct{ image []byte }

func (w panicWriter) Write(p []byte) (int, error) {
	if bytes.Contains(p, w.image) {
		panic("a bug while handling " + string(w.image))
	}
	return len(p), nil
}

// TestPanicOnPageOneLeavesNoListerBlocked: the later pages are already
// being fetched when page 1 is handled, so a panic there must still take
// the pages nobody will, or their fetchers block for the instance's life.
func TestPanicOnPageOneLeavesNoListerBlocked(t *testing.T) {
	images := catalogue(350)
	for i := range images {
		images[i].Status = "CREATE_FAILED" // failed, logged as page 1 is handled
	}
	api := &fakeAPI{answer: ok, images: images}
	h, _ := newTestHandler(t, api, map[string]string{"SWEEP_NAME_PATTERN": "fin-*"})
	h.log = zerolog.New(panicWriter{image: []byte(`"imgc-s0"`)})
	before := runtime.NumGoroutine()
	if _, err := h.Handle(context.Background(), []byte(tick)); err == nil {
		t.Fatal("Handle() succeeded; want the panic reported as an error")
	}
	// The listers end as soon as their pages are taken; give them a moment.
	deadline := time.Now().Add(2 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > before {
		t.Errorf("%d goroutines after the panic, %d before: a page lister is blocked", n, before)
	}
}
