package handler

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/image-distributor/image-distributor/internal/appstream"
)

// Page 1 comes first, for Count; the rest are fetched side by side.
func TestSweepFetchesPagesConcurrently(t *testing.T) {
	api := newCatalogue(250, func(i int) bool { return i%10 != 0 })
	api.overlap = make(chan struct{})
	h, _ := newSweepHandler(t, api, map[string]string{"SWEEP_NAME_PATTERN": "fin-*"})
	out, err := h.Handle(context.Background(), []byte(tick))
	if err != nil {
		t.Fatalf("Handle() error = %v", err)
	}
	_, requested, _, _ := api.snapshot()
	if len(requested) != 3 || requested[0] != 1 || !slices.Equal(slices.Sorted(slices.Values(requested)), []int{1, 2, 3}) {
		t.Errorf("pages requested %v, want page 1 first, then 2 and 3", requested)
	}
	api.mu.Lock()
	maxFlight := api.maxFlight
	api.mu.Unlock()
	if maxFlight < 2 {
		t.Errorf("at most %d ListImage calls in flight, want pages 2 and 3 fetched together", maxFlight)
	}
	if c := countStatus(out.(Result).Results); c[StatusStarted] != 25 || c[StatusComplete] != 225 {
		t.Errorf("statuses %v, want 25 started and 225 complete", c)
	}
}

// A listing too long for one invocation: each tick starts copies of what
// it listed before its deadline, and the next tick, by its own
// triggerTime, starts further on rather than from the top again.
func TestSweepTicksMakeProgressOnAListingTooLongForOne(t *testing.T) {
	api := newCatalogue(6000, func(i int) bool { return i%100 != 0 }) // 60 pages, one image each to copy
	api.delay = 50 * time.Millisecond
	h, logs := newSweepHandler(t, api, map[string]string{"SWEEP_NAME_PATTERN": "fin-*", "API_QPS": "20", "MAX_CONCURRENCY": "2"})
	var before []string
	var listedBefore []int
	for n := 1; n <= 2; n++ {
		ctx, cancel := context.WithTimeout(context.Background(), 1500*time.Millisecond)
		out, err := h.Handle(ctx, []byte(tickAt(tickTime.Add(time.Duration(n)*5*time.Minute))))
		dl, _ := ctx.Deadline()
		cancel()
		if err != nil {
			t.Fatalf("tick %d: Handle() error = %v, want the images listed in time started", n, err)
		}
		if time.Now().After(dl) {
			t.Errorf("tick %d overran its deadline", n)
		}
		started, _, listed, _ := api.snapshot()
		if c := countStatus(out.(Result).Results); len(started) == 0 || c[StatusStarted] != len(started) {
			t.Errorf("tick %d: statuses %v after %d distribute calls, want some started, each reported", n, c, len(started))
		}
		if len(listed) >= 60 {
			t.Fatalf("tick %d listed all %d pages; the test needs a listing longer than a tick", n, len(listed))
		}
		for _, id := range started {
			if slices.Contains(before, id) {
				t.Errorf("tick %d started %s again", n, id)
			}
		}
		if n == 2 && !slices.ContainsFunc(listed, func(p int) bool { return !slices.Contains(listedBefore, p) }) {
			t.Errorf("tick 2 listed only pages tick 1 had listed: %v", listed)
		}
		before, listedBefore = append(before, started...), listed
	}
	if !strings.Contains(logs.String(), `"status":"listing-incomplete"`) {
		t.Errorf("no listing-incomplete warning in logs")
	}
}

// The listing asks the server for user images, and for the product types
// when no payload image could be of another.
func TestSweepFiltersOnTheServer(t *testing.T) {
	named := `{"triggerName":"n","payload":"{\"images\":[{\"imageId\":\"imgc-c00001\"}]}"}`
	tests := []struct {
		name, payload string
		want          appstream.ImageFilter
	}{
		{"selection only", tick, appstream.ImageFilter{ImageType: "User", ProductTypes: []string{"CloudApp", "CloudDesktop"}}},
		{"payload names an image", named, appstream.ImageFilter{ImageType: "User"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			api := newCatalogue(150, func(int) bool { return true })
			h, _ := newSweepHandler(t, api, map[string]string{"SWEEP_NAME_PATTERN": "fin-*", "SWEEP_PRODUCT_TYPES": "CloudApp,CloudDesktop"})
			if _, err := h.Handle(context.Background(), []byte(tc.payload)); err != nil {
				t.Fatalf("Handle() error = %v", err)
			}
			_, _, _, filters := api.snapshot()
			for _, f := range filters {
				if diff := cmp.Diff(tc.want, f); diff != "" {
					t.Errorf("ListPage filter mismatch (-want +got):\n%s", diff)
				}
			}
			if len(filters) != 2 {
				t.Errorf("%d list calls, want 2", len(filters))
			}
		})
	}
}

// A page that fails, or whose call panics, costs only that page: what the
// other pages held is started, the invocation succeeds, a payload image
// that may be on the lost page is not-reached, and the logs say so.
func TestSweepLosesOnlyThePageThatFails(t *testing.T) {
	tests := []struct {
		name    string
		break2  func(*catalogueAPI)
		wantLog string
	}{
		{"permanent error", func(c *catalogueAPI) {
			c.pageErr = map[int]error{2: &appstream.Error{Code: "Forbidden.RAM", Class: appstream.Permanent}}
		}, `"error_code":"Forbidden.RAM"`},
		{"throttled past MAX_ATTEMPTS", func(c *catalogueAPI) {
			c.pageErr = map[int]error{2: &appstream.Error{Code: "Throttling.User", Class: appstream.Retryable}}
		}, `"error_code":"Throttling.User"`},
		{"panic", func(c *catalogueAPI) { c.panicPage = 2 }, "recovered from a panic"},
	}
	payload := `{"triggerName":"n","payload":"{\"images\":[{\"imageId\":\"imgc-c00150\"}]}"}`
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			api := newCatalogue(300, func(i int) bool { return i%10 != 0 })
			tc.break2(api)
			h, logs := newSweepHandler(t, api, map[string]string{"SWEEP_NAME_PATTERN": "fin-*"})
			out, err := h.Handle(context.Background(), []byte(payload))
			if err != nil {
				t.Fatalf("Handle() error = %v, want success with pages 1 and 3 started", err)
			}
			res := out.(Result).Results
			if c := countStatus(res); c[StatusStarted] != 20 || c[StatusNotReached] != 1 {
				t.Errorf("statuses %v, want 20 started (pages 1 and 3) and 1 not-reached", c)
			}
			for _, r := range res {
				if r.ImageID == "imgc-c00150" && (r.Status != StatusNotReached || r.Error == nil || r.Error.Code != "ListingIncomplete") {
					t.Errorf("named image on the lost page: %+v, want not-reached ListingIncomplete", r)
				}
			}
			for _, want := range []string{`"status":"listing-incomplete"`, tc.wantLog} {
				if !strings.Contains(logs.String(), want) {
					t.Errorf("logs lack %s", want)
				}
			}
		})
	}
}

// A Count below what page 1 holds says nothing of the pages after it: the
// sweep starts page 1's images and says the listing is incomplete, rather
// than reporting a named image on a later page as not found.
func TestSweepDistrustsACountBelowPage1(t *testing.T) {
	api := newCatalogue(150, func(i int) bool { return i%10 != 0 })
	api.count = func(int) int { return 0 }
	payload := `{"triggerName":"n","payload":"{\"images\":[{\"imageId\":\"imgc-c00120\"}]}"}`
	h, logs := newSweepHandler(t, api, map[string]string{"SWEEP_NAME_PATTERN": "fin-*"})
	out, err := h.Handle(context.Background(), []byte(payload))
	if err != nil {
		t.Fatalf("Handle() error = %v", err)
	}
	if c := countStatus(out.(Result).Results); c[StatusStarted] != 10 || c[StatusNotReached] != 1 {
		t.Errorf("statuses %v, want page 1's 10 started and the named image not-reached", c)
	}
	if !strings.Contains(logs.String(), "Count is less than page 1 holds") {
		t.Errorf("no warning about the Count")
	}
}
