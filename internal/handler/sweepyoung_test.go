package handler

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/image-distributor/image-distributor/internal/appstream"
)

// TestSweepReadsANotYetAnswerAsNotYet: the sweep starts a copy of an image
// minutes old, and the API answers with a code that means "not yet" for a
// young image. That is deferred, as for an event, not a refusal paged to a
// person at the image's first backoff step.
func TestSweepReadsANotYetAnswerAsNotYet(t *testing.T) {
	images := catalogue(1)
	images[0].Created = tickTime.Add(-6 * time.Minute) // past its 5-minute step
	api := &fakeAPI{answer: func(int32, appstream.Distribution) (appstream.Started, error) {
		return appstream.Started{}, apiErr("ImageRegionDistribute.NotAllow")
	}, images: images}
	h, logs := newTestHandler(t, api, map[string]string{"SWEEP_NAME_PATTERN": "fin-*"})
	h.now = func() time.Time { return tickTime }
	out, err := h.Handle(context.Background(), []byte(tick))
	if err != nil {
		t.Fatalf("Handle() error = %v", err)
	}
	if r := out.(Result).Results[0]; r.Status != StatusDeferred {
		t.Errorf("status %s (%+v), want deferred", r.Status, r.Error)
	}
	if strings.Contains(logs.String(), `"level":"error"`) {
		t.Errorf("an error-level line for a not-yet answer:\n%s", logs)
	}
}
