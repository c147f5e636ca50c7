package main_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/image-distributor/image-distributor/internal/appstream/appstreamtest"
	"github.com/image-distributor/image-distributor/internal/sandbox"
)

const emptyTick = `{"triggerTime":"2026-11-29T00:00:00Z","triggerName":"nightly","payload":""}`

var sweepEnv = map[string]string{"SWEEP_NAME_PATTERN": "fin-*"}

func catalogued(id string, status string) appstreamtest.Image {
	return appstreamtest.Image{ImageID: id, ImageName: "fin-" + id, ProductType: "CloudApp", Status: status,
		HomeRegion: "cn-shanghai", Created: time.Now().Add(-time.Hour)}
}

// distributeCalls leaves out the sweep's ListImage calls.
func distributeCalls(sb *sandbox.Sandbox) []appstreamtest.Call {
	var out []appstreamtest.Call
	for _, c := range sb.API.Calls() {
		if c.Action == "StartTaskForDistributeImage" {
			out = append(out, c)
		}
	}
	return out
}

func statuses(r result) map[string]string {
	m := map[string]string{}
	for _, ir := range r.Results {
		m[ir.ImageID] = ir.Status
	}
	return m
}

// An image created while events were off is distributed by the next tick,
// and a tick right after that makes no call.
func TestSweepCatchesUpAMissedEvent(t *testing.T) {
	sb := start(t, sweepEnv)
	sb.API.AddImage(catalogued("imgc-missed1", "AVAILABLE"))
	sb.API.AddImage(appstreamtest.Image{ImageID: "imgc-other1", ImageName: "hr-tools", ProductType: "CloudApp", HomeRegion: "cn-shanghai"})

	r := mustResult(t, invoke(t, sb, []byte(emptyTick)), sb.Logs)
	if got := statuses(r); len(got) != 1 || got["imgc-missed1"] != "started" {
		t.Fatalf("first sweep statuses = %v, want only imgc-missed1 started", got)
	}
	if d := sb.API.Distributed("imgc-missed1"); fmt.Sprint(d) != "[ap-southeast-1 cn-beijing cn-hangzhou]" {
		t.Errorf("distributed to %v, want the three default regions", d)
	}
	calls := len(distributeCalls(sb))
	r = mustResult(t, invoke(t, sb, []byte(emptyTick)), sb.Logs)
	if n := len(distributeCalls(sb)) - calls; n != 0 {
		t.Errorf("second sweep made %d distribute calls, want 0", n)
	}
	if s := statuses(r)["imgc-missed1"]; s != "complete" {
		t.Errorf("second sweep status = %s, want complete", s)
	}
}

// An event that arrives while the image is still being created is
// deferred; the first tick after it is AVAILABLE distributes it.
func TestSweepDistributesAnImageItsEventWasTooEarlyFor(t *testing.T) {
	sb := start(t, sweepEnv)
	sb.API.AddImage(catalogued("imgc-0b8xk2m5q7rs90tu", "CREATING"))
	res := invoke(t, sb, readEvent(t, imageEvent))
	if res.Error == nil || res.Error.ErrorType != "RetryableFailure" {
		t.Fatalf("early event answer = %s %+v, want RetryableFailure", res.Payload, res.Error)
	}
	waitLog(t, sb.Logs, `"status":"deferred"`)

	r := mustResult(t, invoke(t, sb, []byte(emptyTick)), sb.Logs)
	if s := statuses(r)["imgc-0b8xk2m5q7rs90tu"]; s != "deferred" {
		t.Errorf("sweep while CREATING: status %s, want deferred", s)
	}
	sb.API.SetImageStatus("imgc-0b8xk2m5q7rs90tu", "AVAILABLE")
	r = mustResult(t, invoke(t, sb, []byte(emptyTick)), sb.Logs)
	if s := statuses(r)["imgc-0b8xk2m5q7rs90tu"]; s != "started" {
		t.Errorf("sweep once AVAILABLE: status %s, want started", s)
	}
	if d := sb.API.Distributed("imgc-0b8xk2m5q7rs90tu"); len(d) != 3 {
		t.Errorf("distributed to %v, want 3 regions", d)
	}
}

// A sweep only asks for the regions still missing, and reports the copies
// under way with their progress.
func TestSweepStartsOnlyMissingRegions(t *testing.T) {
	sb := start(t, nil)
	sb.API.SetDistributeDuration(time.Hour)
	sb.API.AddImage(catalogued("imgc-part1", "AVAILABLE"))
	sb.API.MarkDistributed("imgc-part1", "cn-hangzhou")
	tick := []byte(`{"triggerName":"n","payload":"{\"images\":[{\"imageId\":\"imgc-part1\",\"destinationRegions\":[\"cn-hangzhou\",\"cn-beijing\"]}]}"}`)
	r := mustResult(t, invoke(t, sb, tick), sb.Logs)
	calls := distributeCalls(sb)
	if len(calls) != 1 || fmt.Sprint(calls[0].DestinationRegions) != "[cn-beijing]" {
		t.Fatalf("calls = %+v, want one for cn-beijing only", calls)
	}
	if s := statuses(r)["imgc-part1"]; s != "started" {
		t.Errorf("status %s, want started", s)
	}
	r = mustResult(t, invoke(t, sb, tick), sb.Logs)
	got := r.Results[0]
	if got.Status != "in-progress" || got.Progress["cn-beijing"] == "" {
		t.Errorf("next sweep: %+v, want in-progress with cn-beijing's progress", got)
	}
	if len(distributeCalls(sb)) != 1 {
		t.Errorf("next sweep made another call")
	}
}

// A sweep over 1,000 images stays within the API's QPS limit and the
// invocation deadline, and reaches every image.
func TestSweepOfAThousandImagesStaysWithinLimits(t *testing.T) {
	if testing.Short() {
		t.Skip("takes about ten seconds")
	}
	sb := startWith(t, sandbox.Options{Timeout: 60 * time.Second,
		Env: map[string]string{"SWEEP_NAME_PATTERN": "fin-*", "API_QPS": "100", "MAX_CONCURRENCY": "8"}})
	sb.API.SetQPSLimit(100)
	for i := range 1000 {
		sb.API.AddImage(catalogued(fmt.Sprintf("imgc-k%04d", i), "AVAILABLE"))
	}
	res := invoke(t, sb, []byte(emptyTick))
	r := mustResult(t, res, sb.Logs)
	started := 0
	for _, ir := range r.Results {
		if ir.Status == "started" {
			started++
		}
	}
	if started != 1000 || sb.API.Throttled() != 0 {
		t.Errorf("started %d of 1000, throttled %d times; want all started and no throttling", started, sb.API.Throttled())
	}
	if res.Duration >= 60*time.Second {
		t.Errorf("the sweep answered after %v, past its deadline", res.Duration)
	}
}

// With no event at all, SWEEP_CREATED_AFTER alone makes every new image
// replicate: an image created after it is started on the first tick once
// AVAILABLE (no minimum age by default), one still CREATING waits, and an
// older one is left alone.
func TestSweepReplicatesNewImagesWithoutAnyEvent(t *testing.T) {
	deployed := time.Now().Add(-30 * time.Minute)
	sb := start(t, map[string]string{"SWEEP_CREATED_AFTER": deployed.UTC().Format(time.RFC3339)})
	add := func(id, status string, created time.Time) {
		sb.API.AddImage(appstreamtest.Image{ImageID: id, ImageName: "any-" + id, ProductType: "CloudApp",
			Status: status, HomeRegion: "cn-shanghai", Created: created})
	}
	add("imgc-new1", "AVAILABLE", deployed.Add(10*time.Minute))
	add("imgc-building1", "CREATING", deployed.Add(20*time.Minute))
	add("imgc-old1", "AVAILABLE", deployed.Add(-time.Hour))

	r := mustResult(t, invoke(t, sb, []byte(emptyTick)), sb.Logs)
	want := map[string]string{"imgc-new1": "started", "imgc-building1": "deferred"}
	if got := statuses(r); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("first tick statuses = %v, want %v", got, want)
	}
	sb.API.SetImageStatus("imgc-building1", "AVAILABLE")
	r = mustResult(t, invoke(t, sb, []byte(emptyTick)), sb.Logs)
	want = map[string]string{"imgc-new1": "complete", "imgc-building1": "started"}
	if got := statuses(r); fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("tick once AVAILABLE: statuses = %v, want %v", got, want)
	}
	if d := sb.API.Distributed("imgc-old1"); len(d) != 0 {
		t.Errorf("the image older than SWEEP_CREATED_AFTER was distributed to %v", d)
	}
}

// The listing asks the server for user images of the swept product types
// only, in the API's own parameters.
func TestSweepFiltersOnTheServer(t *testing.T) {
	sb := start(t, map[string]string{"SWEEP_NAME_PATTERN": "fin-*", "SWEEP_PRODUCT_TYPES": "CloudApp,WuyingServer"})
	sb.API.AddImage(catalogued("imgc-app1", "AVAILABLE"))
	sb.API.AddImage(appstreamtest.Image{ImageID: "imgc-shared1", ImageName: "fin-shared", ImageType: "Shared", ProductType: "CloudApp"})
	r := mustResult(t, invoke(t, sb, []byte(emptyTick)), sb.Logs)
	if got := statuses(r); len(got) != 1 || got["imgc-app1"] != "started" {
		t.Errorf("statuses = %v, want only imgc-app1 started", got)
	}
	for _, c := range sb.API.Calls() {
		if c.Action != "ListImage" {
			continue
		}
		p := c.Params
		got := []string{p.Get("ImageType"), p.Get("ProductTypeList.1"), p.Get("ProductTypeList.2"), p.Get("ProductTypeList.3")}
		if want := []string{"User", "CloudApp", "WuyingServer", ""}; !slices.Equal(got, want) {
			t.Errorf("ListImage ImageType, ProductTypeList.1-3 = %q, want %q", got, want)
		}
	}
}

// A catalogue the function cannot list within one invocation: each tick
// starts copies of what it listed before its deadline, and the next tick
// starts others.
func TestSweepTooLargeForOneTickStillProgresses(t *testing.T) {
	if testing.Short() {
		t.Skip("takes about six seconds")
	}
	sb := startWith(t, sandbox.Options{Timeout: 3 * time.Second, Env: sweepEnv})
	sb.API.SetLatency(200 * time.Millisecond)
	created := time.Now().Add(-time.Hour)
	for i := range 3000 { // 30 pages at API_QPS=5: six seconds of listing alone
		id := fmt.Sprintf("imgc-l%04d", i)
		sb.API.AddImage(appstreamtest.Image{ImageID: id, ImageName: "fin-" + id, ProductType: "CloudApp", HomeRegion: "cn-shanghai", Created: created})
		if i%100 != 0 {
			sb.API.MarkDistributed(id, "ap-southeast-1", "cn-beijing", "cn-hangzhou")
		}
	}
	seen := map[string]bool{}
	for tick := 1; tick <= 2; tick++ {
		res := invoke(t, sb, []byte(emptyTick))
		r := mustResult(t, res, sb.Logs)
		var started []string
		for id, s := range statuses(r) {
			if s != "started" {
				continue
			}
			if seen[id] {
				t.Errorf("tick %d started %s again", tick, id)
			}
			seen[id] = true
			started = append(started, id)
		}
		if len(started) == 0 {
			t.Errorf("tick %d started nothing; statuses %v", tick, statuses(r))
		}
	}
	if len(logLines(sb.Logs, "status", "listing-incomplete")) == 0 {
		t.Error("no listing-incomplete warning")
	}
}
