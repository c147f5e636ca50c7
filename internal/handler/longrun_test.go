package handler

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"github.com/image-distributor/image-distributor/internal/appstream"
)

// The sweep over many ticks (issue 16), each tick its own triggerTime, 5
// minutes apart, on a fake clock: the policy reads no other clock.

// roomy is a sweep whose ticks have room for 10 pages after page 1:
// a SWEEP_CRON of 5 minutes at 0.14 calls a second, a quarter of it for pages. The
// limiter is lifted so the test does not wait it out.
func roomy(t *testing.T, api *catalogueAPI) *Handler {
	t.Helper()
	h, _ := newSweepHandler(t, api, map[string]string{"SWEEP_NAME_PATTERN": "fin-*", "API_QPS": "0.14", "MAX_CONCURRENCY": "1"})
	h.limiter = rate.NewLimiter(rate.Inf, 1)
	return h
}

// coverage runs ticks over 100 pages with room for 10 a tick and page 30
// failing on every one, and returns, for the worst page, the most ticks
// it waited to be listed; cold says which ticks run on a fresh instance.
func coverage(t *testing.T, ticks int, cold func(n int) bool) (worst int, logs string) {
	t.Helper()
	api := newCatalogue(10000, func(int) bool { return true })
	api.pageErr = map[int]error{30: &appstream.Error{Code: "InvalidParameter", Message: "an entry of the wrong shape", Class: appstream.Permanent}}
	var h *Handler
	var all strings.Builder
	last := map[int]int{}
	for n := range ticks {
		if h == nil || cold(n) {
			h = roomy(t, api)
			h.log = h.log.Output(&all)
		}
		ctx, cancel := context.WithCancel(context.Background())
		api.mu.Lock()
		api.room, api.cancel = 10, cancel
		api.mu.Unlock()
		if _, err := h.Handle(ctx, []byte(tickAt(tickTime.Add(time.Duration(n)*5*time.Minute)))); err != nil {
			t.Fatalf("tick %d: Handle() error = %v", n, err)
		}
		cancel()
		_, _, listed, _ := api.snapshot()
		for _, p := range listed {
			worst = max(worst, n-last[p])
			last[p] = n
		}
	}
	for p := 2; p <= 100; p++ {
		if _, ok := last[p]; !ok && p != 30 {
			t.Errorf("page %d never listed in %d ticks", p, ticks)
		}
		if p != 30 {
			worst = max(worst, ticks-last[p])
		}
	}
	return worst, all.String()
}

// Items 1 and 2: with P = 100 pages and room for k = 10 a tick, every page
// is listed at least once every ⌈P/k⌉+1 = 11 ticks, on one warm instance,
// on a fresh instance every tick, or alternating; page 30 failing on every
// tick costs only itself.
func TestSweepCoversEveryPageWithinTheBound(t *testing.T) {
	for _, tc := range []struct {
		name string
		cold func(int) bool
	}{
		{"warm", func(int) bool { return false }},
		{"cold", func(int) bool { return true }},
		{"alternating", func(n int) bool { return n%2 == 0 }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			worst, logs := coverage(t, 32, tc.cold)
			if worst > 11 {
				t.Errorf("a page waited %d ticks to be listed, want at most 11", worst)
			}
			if !strings.Contains(logs, `"status":"page-failed","page":30`) || !strings.Contains(logs, `"error_code":"InvalidParameter"`) {
				t.Errorf("no warning names page 30 and its error")
			}
			// A warm instance has seen it fail for an hour by the third
			// cycle; a fresh one cannot know (docs/reliability.md).
			if got := errorLines(logs, `"status":"page-failing","page":30`) > 0; got != (tc.name == "warm") {
				t.Errorf("page-failing error logged: %v, want %v", got, tc.name == "warm")
			}
		})
	}
}

// runTicks sweeps n ticks 5 minutes apart from from, warm, and returns
// the distribute calls and the logs.
func runTicks(t *testing.T, api *catalogueAPI, env map[string]string, from time.Time, n int) (calls []appstream.Distribution, logs string) {
	t.Helper()
	h, buf := newSweepHandler(t, api, env)
	h.limiter = rate.NewLimiter(rate.Inf, 1)
	for i := range n {
		if _, err := h.Handle(context.Background(), []byte(tickAt(from.Add(time.Duration(i)*5*time.Minute)))); err != nil {
			t.Fatalf("tick %d: Handle() error = %v", i, err)
		}
	}
	api.mu.Lock()
	defer api.mu.Unlock()
	return api.calls, buf.String()
}

// oneImage is a catalogue of one image created age before tickTime, a
// minute off the ticks, held in cn-beijing and missing from cn-hangzhou.
func oneImage(age time.Duration) *catalogueAPI {
	api := newCatalogue(1, nil)
	api.images[0].Created = tickTime.Add(-age - time.Minute)
	api.images[0].Copies = []appstream.Copy{{RegionID: "cn-beijing", Status: "AVAILABLE", Progress: "100%", VersionID: "iv-1"}}
	return api
}

var finAll = map[string]string{"SWEEP_NAME_PATTERN": "fin-*"}

// Item 3: a copy that fails every time is started again at the backoff
// steps, not on every tick, and past a day each attempt is an error line
// that names the image and the region.
func TestSweepBacksOffAFailingCopy(t *testing.T) {
	for _, tc := range []struct {
		name     string
		age      time.Duration
		maxCalls int
	}{
		{"a new image, for a day", 0, 1 + 9 + 1}, // the first, 9 doubling steps, the daily one
		{"a copy failed 3 days ago, for a day", 3 * 24 * time.Hour, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			api := oneImage(tc.age)
			api.failRegion = "cn-hangzhou"
			if tc.age > 0 {
				api.images[0].Copies = append(api.images[0].Copies, appstream.Copy{RegionID: "cn-hangzhou", Status: "CREATE_FAILED", Progress: "10%", VersionID: "iv-1"})
			}
			calls, logs := runTicks(t, api, finAll, tickTime, 288)
			if len(calls) == 0 || len(calls) > tc.maxCalls {
				t.Errorf("%d distribute calls in 288 ticks, want 1 to %d", len(calls), tc.maxCalls)
			}
			want := `"status":"copy-failing","image_id":"imgc-c00000","version_id":"iv-1","region":"cn-hangzhou"`
			if n := errorLines(logs, want); tc.age > 0 && n != len(calls) {
				t.Errorf("%d copy-failing lines for %d attempts, want one each", n, len(calls))
			}
		})
	}
}

// Item 4: a permanent refusal is asked again only at the backoff steps,
// and each step reports it at error level.
func TestSweepAsksARefusalAgainOnlyAtItsSteps(t *testing.T) {
	api := oneImage(3*24*time.Hour - 30*time.Minute) // a daily step 30 minutes in
	api.refuse = map[string]error{"imgc-c00000": &appstream.Error{Code: "ParentImageRegionDistribute.NotExist", Class: appstream.Permanent}}
	calls, logs := runTicks(t, api, finAll, tickTime, 12)
	if len(calls) != 1 {
		t.Errorf("%d distribute calls in 12 ticks, want 1", len(calls))
	}
	if n := errorLines(logs, `"status":"refused","image_id":"imgc-c00000","version_id":"iv-1","region":"cn-hangzhou"`); n != 1 {
		t.Errorf("%d refused error lines, want 1", n)
	}
}

// Item 5: a region holding another version, where the API answers
// RepeatedDistribution per image: reported as other-version at error
// level at its steps, not already-distributed, and not asked every tick.
func TestSweepReportsARegionHoldingAnotherVersion(t *testing.T) {
	api := oneImage(3*24*time.Hour - 30*time.Minute)
	api.images[0].VersionID = "iv-2"
	api.images[0].Copies[0].VersionID = "iv-2"
	api.images[0].Copies = append(api.images[0].Copies, appstream.Copy{RegionID: "cn-hangzhou", Status: "AVAILABLE", Progress: "100%", VersionID: "iv-1"})
	api.perImage = true
	calls, logs := runTicks(t, api, finAll, tickTime, 12)
	if len(calls) > 2 {
		t.Errorf("%d distribute calls in 12 ticks, want at most 2 (one step, split per region)", len(calls))
	}
	if n := errorLines(logs, `"status":"other-version","image_id":"imgc-c00000","version_id":"iv-2","region":"cn-hangzhou"`); n != 1 {
		t.Errorf("%d other-version error lines, want 1", n)
	}
	if strings.Contains(logs, `"status":"already-distributed"`) {
		t.Errorf("a region holding another version reported already-distributed")
	}
}

// Item 6: DESTINATION_REGIONS_BY_SOURCE applies to the image's home as
// the listing shows it, and an image whose home cannot be told is skipped
// with a warning rather than copied to DESTINATION_REGIONS.
func TestSweepPlansFromTheHomeRegion(t *testing.T) {
	env := map[string]string{"SWEEP_NAME_PATTERN": "fin-*", "DESTINATION_REGIONS_BY_SOURCE": "cn-shanghai=cn-shenzhen"}
	for _, tc := range []struct {
		name   string
		copies []string
		want   string // regions asked for
		status string
	}{
		{"home has no distribution entry", []string{"cn-hangzhou"}, "[cn-shenzhen]", "started"},
		{"home cannot be told", []string{"cn-shanghai", "cn-hangzhou"}, "", "source-unknown"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			api := newCatalogue(1, nil)
			api.images[0].Regions = []string{"cn-shanghai", "cn-hangzhou"}
			for _, r := range tc.copies {
				api.images[0].Copies = append(api.images[0].Copies, appstream.Copy{RegionID: r, Status: "AVAILABLE", Progress: "100%", VersionID: "iv-1"})
			}
			h, logs := newSweepHandler(t, api, env)
			out, err := h.Handle(context.Background(), []byte(tick))
			if err != nil {
				t.Fatalf("Handle() error = %v", err)
			}
			got := ""
			for _, c := range api.calls {
				got += fmt.Sprint(c.Regions)
			}
			if r := out.(Result).Results[0]; got != tc.want || string(r.Status) != tc.status {
				t.Errorf("asked for %q, status %s; want %q, %s", got, r.Status, tc.want, tc.status)
			}
			if tc.status == "source-unknown" && !strings.Contains(logs.String(), `"level":"warn"`) {
				t.Errorf("no warning for the skipped image")
			}
		})
	}
}

// errorLines counts the error-level log lines holding want.
func errorLines(logs, want string) int {
	n := 0
	for _, line := range strings.Split(logs, "\n") {
		if strings.HasPrefix(line, `{"level":"error"`) && strings.Contains(line, want) {
			n++
		}
	}
	return n
}

// A timer event without a readable triggerTime runs by the instance's
// clock, and says so once.
func TestSweepWithoutATriggerTime(t *testing.T) {
	api := newCatalogue(3, nil)
	h, logs := newSweepHandler(t, api, finAll)
	out, err := h.Handle(context.Background(), []byte(`{"triggerName":"nightly","payload":""}`))
	if err != nil {
		t.Fatalf("Handle() error = %v", err)
	}
	if c := countStatus(out.(Result).Results); c[StatusStarted] != 3 {
		t.Errorf("statuses %v, want 3 started by the instance's clock (on the hour)", c)
	}
	if n := strings.Count(logs.String(), `"status":"no-trigger-time"`); n != 1 {
		t.Errorf("%d no-trigger-time warnings, want 1", n)
	}
}
