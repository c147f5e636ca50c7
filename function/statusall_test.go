package main_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/image-distributor/image-distributor/internal/appstream/appstreamtest"
	"github.com/image-distributor/image-distributor/internal/sandbox"
)

// TestStatusOfEveryManagedImage: without imageId, the answer covers every
// image the sweep manages and says what the next sweep would do; a tick
// run next does exactly that.
func TestStatusOfEveryManagedImage(t *testing.T) {
	sb := start(t, sweepEnv)
	for _, id := range []string{"imgc-done1", "imgc-copy1", "imgc-fail1", "imgc-none1"} {
		sb.API.AddImage(catalogued(id, "AVAILABLE"))
	}
	sb.API.AddImage(catalogued("imgc-build1", "CREATING"))
	sb.API.AddImage(appstreamtest.Image{ImageID: "imgc-hr1", ImageName: "hr-tools", ProductType: "CloudApp", HomeRegion: "cn-shanghai"})
	all := []string{"cn-hangzhou", "cn-beijing", "ap-southeast-1"}
	sb.API.MarkDistributed("imgc-done1", all...)
	sb.API.MarkDistributed("imgc-copy1", "cn-hangzhou", "ap-southeast-1")
	sb.API.MarkCopying("imgc-copy1", 10*time.Minute, 100*time.Minute, "cn-beijing")
	sb.API.MarkDistributed("imgc-fail1", "cn-hangzhou", "cn-beijing")
	sb.API.MarkFailed("imgc-fail1", "ap-southeast-1")

	a := ask(t, sb, nil, 200)
	type view struct{ Verdict, Next, Starts string }
	got := map[string]view{}
	for _, img := range a.Images {
		if img.NextSweep == nil {
			t.Fatalf("%s has no nextSweep", img.ImageID)
		}
		got[img.ImageID] = view{img.Verdict, img.NextSweep.Action, fmt.Sprint(img.NextSweep.Regions)}
	}
	want := map[string]view{
		"imgc-done1": {"complete", "complete", "[]"},
		"imgc-copy1": {"in-progress", "in-progress", "[]"},
		// A failed copy waits for its backoff step, 5 minutes after GmtCreate.
		"imgc-fail1":  {"incomplete", "backoff", "[]"},
		"imgc-none1":  {"incomplete", "start", "[cn-hangzhou cn-beijing ap-southeast-1]"},
		"imgc-build1": {"in-progress", "deferred", "[]"},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("images (-want +got):\n%s", diff)
	}
	if !a.Listing.Complete || a.Listing.PagesListed != 1 || a.Listing.PagesTotal != 1 || a.Listing.ImagesNotReached != 0 {
		t.Errorf("listing = %+v, want complete in one page", a.Listing)
	}
	if n := len(distributeCalls(sb)); n != 0 {
		t.Fatalf("the query made %d distribute calls", n)
	}

	r := mustResult(t, invoke(t, sb, []byte(emptyTick)), sb.Logs)
	started := map[string]string{}
	for _, ir := range r.Results {
		if ir.Status == "started" {
			started[ir.ImageID] = fmt.Sprint(ir.DestinationRegions)
		}
	}
	wantStarted := map[string]string{"imgc-none1": want["imgc-none1"].Starts}
	if diff := cmp.Diff(wantStarted, started); diff != "" {
		t.Errorf("the tick after the query started (-predicted +started):\n%s", diff)
	}
}

// TestStatusOfEveryImageStopsAtTheDeadline: a catalogue too large to list
// in one invocation. The answer comes before the deadline, with what was
// listed, says the listing is incomplete and counts the images not
// reached; images over MAX_IMAGES_PER_INVOCATION are not-reached by the
// next sweep.
func TestStatusOfEveryImageStopsAtTheDeadline(t *testing.T) {
	sb := startWith(t, sandbox.Options{Timeout: 2 * time.Second,
		Env: map[string]string{"SWEEP_NAME_PATTERN": "fin-*", "MAX_IMAGES_PER_INVOCATION": "5"}})
	sb.API.SetLatency(200 * time.Millisecond)
	created := time.Now().Add(-time.Hour)
	for i := range 3000 { // 30 pages at API_QPS=5: six seconds of listing
		id := fmt.Sprintf("imgc-q%04d", i)
		sb.API.AddImage(appstreamtest.Image{ImageID: id, ImageName: "fin-" + id, ProductType: "CloudApp", HomeRegion: "cn-shanghai", Created: created})
	}
	res := invoke(t, sb, httpEvent("GET", sandbox.HTTPToken, nil, ""))
	if res.Duration >= 2*time.Second {
		t.Errorf("answered after %v, past the 2s deadline", res.Duration)
	}
	a := decodeStatus(t, res.Payload, 200)
	l := a.Listing
	if l.Complete || l.PagesTotal != 30 || l.PagesListed >= 30 || len(a.Images) != 100*l.PagesListed || l.ImagesNotReached != 3000-len(a.Images) {
		t.Errorf("listing %+v with %d images, want an incomplete listing of 30 pages counting the images not reached", l, len(a.Images))
	}
	next := map[string]int{}
	for _, img := range a.Images {
		next[img.NextSweep.Action]++
	}
	if next["start"] != 5 || next["not-reached"] != len(a.Images)-5 {
		t.Errorf("next sweep actions %v, want 5 starts and the rest not-reached", next)
	}
	if n := len(distributeCalls(sb)); n != 0 {
		t.Errorf("the query made %d distribute calls", n)
	}
}
