package handler

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/image-distributor/image-distributor/internal/appstream"
	"github.com/image-distributor/image-distributor/internal/trigger"
)

const tick = `{"triggerTime":"2026-11-29T00:00:00Z","triggerName":"nightly","payload":""}`

// tickTime is tick's triggerTime. The fakes' images have no GmtCreate, so
// their regions are due on the whole hours, as this one is.
var tickTime = time.Date(2026, 11, 29, 0, 0, 0, 0, time.UTC)

// tickAt is a timer event with no payload fired at at.
func tickAt(at time.Time) string {
	return `{"triggerTime":"` + at.UTC().Format(time.RFC3339) + `","triggerName":"nightly","payload":""}`
}

func catalogue(n int) []appstream.Image {
	var imgs []appstream.Image
	for i := range n {
		imgs = append(imgs, appstream.Image{ImageID: fmt.Sprintf("imgc-s%d", i), ImageName: fmt.Sprintf("fin-%d", i),
			ImageType: "User", ProductType: "CloudApp", Status: "AVAILABLE", VersionID: "iv-1", Regions: []string{"cn-shanghai"}})
	}
	return imgs
}

func TestSweepStartsWhatIsMissingAndPagesToTheEnd(t *testing.T) {
	api := &fakeAPI{answer: ok, images: catalogue(250)}
	h, _ := newTestHandler(t, api, map[string]string{"SWEEP_NAME_PATTERN": "fin-*", "SWEEP_MIN_AGE": "0s"})
	out, err := h.Handle(context.Background(), []byte(tick))
	if err != nil {
		t.Fatalf("Handle() error = %v", err)
	}
	res := out.(Result)
	if len(res.Results) != 250 || api.calls.Load() != 250 || api.listCalls.Load() != 3 {
		t.Errorf("results %d, distribute calls %d, list calls %d; want 250, 250, 3", len(res.Results), api.calls.Load(), api.listCalls.Load())
	}
	for _, r := range res.Results {
		if r.Status != StatusStarted {
			t.Fatalf("result %+v, want started", r)
		}
	}
}

func TestSweepStopsBeforeTheDeadline(t *testing.T) {
	api := &fakeAPI{answer: func(n int32, d appstream.Distribution) (appstream.Started, error) {
		time.Sleep(20 * time.Millisecond)
		return ok(n, d)
	}, images: catalogue(100)}
	h, _ := newTestHandler(t, api, map[string]string{"SWEEP_NAME_PATTERN": "fin-*", "SWEEP_MIN_AGE": "0s", "API_QPS": "20", "MAX_CONCURRENCY": "2"})
	ctx, cancel := context.WithTimeout(context.Background(), 1500*time.Millisecond)
	defer cancel()
	out, err := h.Handle(ctx, []byte(tick))
	if err != nil {
		t.Fatalf("Handle() error = %v; a sweep that runs out of time still succeeds", err)
	}
	if dl, _ := ctx.Deadline(); time.Now().After(dl) {
		t.Error("the sweep overran its deadline")
	}
	c := tally(out.(Result).Results)
	if c.byStatus[StatusStarted] == 0 || c.byStatus[StatusNotReached] == 0 || c.byStatus[StatusStarted]+c.byStatus[StatusNotReached] != 100 {
		t.Errorf("statuses %v, want some started and the rest not-reached", c.byStatus)
	}
	if int(api.calls.Load()) != c.byStatus[StatusStarted] {
		t.Errorf("distribute calls %d, want one per started image (%d)", api.calls.Load(), c.byStatus[StatusStarted])
	}
}

func TestSweepErrors(t *testing.T) {
	t.Run("nothing selected", func(t *testing.T) {
		api := &fakeAPI{answer: ok}
		h, logs := newTestHandler(t, api, nil)
		_, err := h.Handle(context.Background(), []byte(tick))
		if err != nil || api.listCalls.Load() != 0 || !strings.Contains(logs.String(), "sweep-disabled") {
			t.Errorf("Handle() error = %v, %d list calls; want success, no call and a sweep-disabled warning", err, api.listCalls.Load())
		}
	})
	t.Run("bad payload", func(t *testing.T) {
		h, _ := newTestHandler(t, &fakeAPI{answer: ok}, nil)
		_, err := h.Handle(context.Background(), []byte(`{"triggerName":"n","payload":"not json"}`))
		var ie *trigger.InputError
		if !errors.As(err, &ie) || ie.Code != "InvalidPayload" {
			t.Errorf("Handle() error = %v, want InvalidPayload", err)
		}
	})
	t.Run("listing fails", func(t *testing.T) {
		api := &fakeAPI{answer: ok, listErr: &appstream.Error{Code: "Forbidden.RAM", Class: appstream.Permanent}}
		h, _ := newTestHandler(t, api, map[string]string{"SWEEP_IMAGE_IDS": "imgc-a"})
		_, err := h.Handle(context.Background(), []byte(tick))
		var se *SweepError
		if !errors.As(err, &se) || api.listCalls.Load() != 1 {
			t.Errorf("Handle() error = %v after %d list calls, want one SweepError", err, api.listCalls.Load())
		}
	})
}

// newSweepHandler is newTestHandler over a catalogue.
func newSweepHandler(t *testing.T, api *catalogueAPI, env map[string]string) (*Handler, *bytes.Buffer) {
	t.Helper()
	h, logs := newTestHandler(t, &fakeAPI{answer: ok}, env)
	h.api = api
	// A status query runs by the instance's clock: the tick's time here.
	h.now = func() time.Time { return tickTime }
	return h, logs
}

func countStatus(rs []ImageResult) map[Status]int { return tally(rs).byStatus }

// SWEEP_TAGS selects nothing when ListImage returns no TagList; one
// warning per tick says why.
func TestSweepWarnsWhenNoImageCarriesATag(t *testing.T) {
	tests := []struct {
		name     string
		env      map[string]string
		tagged   bool
		warnings int
	}{
		{"tags set, none listed", map[string]string{"SWEEP_TAGS": "team=fin"}, false, 1},
		{"tags set, one image tagged", map[string]string{"SWEEP_TAGS": "team=fin"}, true, 0},
		{"tags unset", map[string]string{"SWEEP_NAME_PATTERN": "fin-*"}, false, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			api := newCatalogue(250, func(int) bool { return true })
			if tc.tagged {
				api.images[240].Tags = map[string]string{"team": "hr"}
			}
			h, logs := newSweepHandler(t, api, tc.env)
			if _, err := h.Handle(context.Background(), []byte(tick)); err != nil {
				t.Fatalf("Handle() error = %v", err)
			}
			if n := strings.Count(logs.String(), `"status":"no-tags"`); n != tc.warnings {
				t.Errorf("%d no-tags warnings, want %d:\n%s", n, tc.warnings, logs)
			}
		})
	}
}

// MAX_IMAGES_PER_INVOCATION caps the starts of a tick across its pages.
func TestSweepCapsStartsAcrossPages(t *testing.T) {
	api := newCatalogue(250, func(i int) bool { return i%10 != 0 })
	h, _ := newSweepHandler(t, api, map[string]string{"SWEEP_NAME_PATTERN": "fin-*", "MAX_IMAGES_PER_INVOCATION": "12"})
	out, err := h.Handle(context.Background(), []byte(tick))
	if err != nil {
		t.Fatalf("Handle() error = %v", err)
	}
	started, _, _, _ := api.snapshot()
	if c := countStatus(out.(Result).Results); c[StatusStarted] != 12 || c[StatusNotReached] != 13 || len(started) != 12 {
		t.Errorf("statuses %v after %d distribute calls, want 12 started and 13 not-reached", c, len(started))
	}
}
