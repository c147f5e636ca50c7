package main_test

import (
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/image-distributor/image-distributor/internal/appstream/appstreamtest"
	"github.com/image-distributor/image-distributor/internal/sandbox"
)

// eventImage is the image events/eventbridge-image-data.json names.
const eventImage = "imgc-0b8xk2m5q7rs90tu"

// Item 6: copies keep the version they were made of, so after a new
// version a region holding only an old copy reads missing, not done.
func TestNewVersionReadsMissingWhereOnlyOldCopiesAre(t *testing.T) {
	sb := start(t, nil)
	img := catalogued(st1, "AVAILABLE")
	img.VersionID = "iv-old"
	sb.API.AddImage(img)
	sb.API.MarkDistributed(st1, "cn-hangzhou", "cn-beijing")
	img.VersionID = "iv-new"
	sb.API.AddImage(img)
	sb.API.MarkDistributed(st1, "ap-southeast-1")
	got := ask(t, sb, map[string]string{"imageId": st1}, 200)
	want := []regionStatus{{"cn-hangzhou", "missing", ""}, {"cn-beijing", "missing", ""}, {"ap-southeast-1", "done", ""}}
	if diff := cmp.Diff(want, got.Regions); diff != "" || got.VersionID != "iv-new" || got.Verdict != "incomplete" {
		t.Errorf("version %s verdict %s, regions (-want +got):\n%s", got.VersionID, got.Verdict, diff)
	}
}

// Item 3: a region the API refuses on its own does not hold back the
// others, which start in the same invocation; the next delivery asks the
// refused region alone.
func TestParentMissingInOneRegionStartsTheOthers(t *testing.T) {
	sb := start(t, nil)
	sb.API.SetParentMissing(eventImage, "cn-beijing")
	res := invoke(t, sb, readEvent(t, imageEvent))
	if res.Error == nil || res.Error.ErrorType != "RetryableFailure" {
		t.Fatalf("first delivery = %s %+v, want RetryableFailure for cn-beijing", res.Payload, res.Error)
	}
	if d := sb.API.Distributed(eventImage); fmt.Sprint(d) != "[ap-southeast-1]" {
		t.Errorf("after the first delivery the stand-in holds %v, want [ap-southeast-1]", d)
	}
	before := len(distributeCalls(sb))
	sb.API.SetParentPresent(eventImage, "cn-beijing")
	r := mustResult(t, invoke(t, sb, readEvent(t, imageEvent)), sb.Logs)
	var asked [][]string
	for _, c := range distributeCalls(sb)[before:] {
		asked = append(asked, c.DestinationRegions)
	}
	if fmt.Sprint(asked) != "[[cn-beijing]]" || r.Results[0].Status != "started" {
		t.Errorf("second delivery asked for %v, result %+v; want cn-beijing alone, started", asked, r.Results[0])
	}
}

// Item 7: an event for an image still being built looks first and is
// deferred without a distribute call; once the image is AVAILABLE the
// redelivery copies it.
func TestEventForAnImageStillBeingBuilt(t *testing.T) {
	sb := startWith(t, sandbox.Options{})
	sb.API.AddImage(appstreamtest.Image{ImageID: eventImage, ProductType: "CloudApp", Status: "CREATING", HomeRegion: "cn-hangzhou"})
	res := invoke(t, sb, readEvent(t, imageEvent))
	if res.Error == nil || res.Error.ErrorType != "RetryableFailure" {
		t.Fatalf("delivery while CREATING = %s %+v, want RetryableFailure so the event comes back", res.Payload, res.Error)
	}
	if n, l := len(distributeCalls(sb)), sb.API.ListCalls(); n != 0 || l != 1 {
		t.Errorf("distribute calls = %d, ListImage calls = %d; want 0 and 1", n, l)
	}
	sb.API.SetImageStatus(eventImage, "AVAILABLE")
	r := mustResult(t, invoke(t, sb, readEvent(t, imageEvent)), sb.Logs)
	if r.Results[0].Status != "started" {
		t.Errorf("redelivery once AVAILABLE = %+v, want started", r.Results[0])
	}
}

// Item 7: a redelivery of one image to a fresh instance, which remembers
// nothing, reads the listing and makes no distribute call, where it used
// to make 1 + N under the pessimistic reading.
func TestOneImageRedeliveryToAFreshInstanceLooksFirst(t *testing.T) {
	sb := start(t, nil)
	img := catalogued(eventImage, "AVAILABLE")
	img.VersionID, img.HomeRegion = "iv-0b8xk2m5q7rs12ab", "cn-hangzhou"
	sb.API.AddImage(img)
	if r := mustResult(t, invoke(t, sb, readEvent(t, imageEvent)), sb.Logs); r.Results[0].Status != "started" {
		t.Fatalf("first delivery = %+v, want started", r.Results[0])
	}
	if err := sb.Restart(); err != nil {
		t.Fatal(err)
	}
	calls, lists := len(distributeCalls(sb)), sb.API.ListCalls()
	r := mustResult(t, invoke(t, sb, readEvent(t, imageEvent)), sb.Logs)
	if r.Results[0].Status != "already-distributed" {
		t.Errorf("redelivery = %+v, want already-distributed", r.Results[0])
	}
	if n, l := len(distributeCalls(sb))-calls, sb.API.ListCalls()-lists; n != 0 || l != 1 {
		t.Errorf("redelivery made %d distribute and %d ListImage calls, want 0 and 1", n, l)
	}
}

// Item 3, on the timer: a tick whose call is refused for one region
// starts the others in the same tick, and the next tick asks only the
// region still open, alone.
func TestSweepStartsTheRegionsOneRefusalWouldBlock(t *testing.T) {
	sb := start(t, sweepEnv)
	sb.API.AddImage(catalogued("imgc-missed1", "AVAILABLE"))
	sb.API.SetParentMissing("imgc-missed1", "cn-beijing")
	mustResult(t, invoke(t, sb, []byte(emptyTick)), sb.Logs)
	if d := sb.API.Distributed("imgc-missed1"); fmt.Sprint(d) != "[ap-southeast-1 cn-hangzhou]" {
		t.Errorf("first tick distributed to %v, want every region but cn-beijing", d)
	}
	before := len(distributeCalls(sb))
	sb.API.SetParentPresent("imgc-missed1", "cn-beijing")
	mustResult(t, invoke(t, sb, []byte(emptyTick)), sb.Logs)
	var asked [][]string
	for _, c := range distributeCalls(sb)[before:] {
		asked = append(asked, c.DestinationRegions)
	}
	if fmt.Sprint(asked) != "[[cn-beijing]]" {
		t.Errorf("second tick asked for %v, want cn-beijing alone", asked)
	}
}
