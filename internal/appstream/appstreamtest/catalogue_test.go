package appstreamtest_test

import (
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/image-distributor/image-distributor/internal/appstream/appstreamtest"
)

// copyIn returns the ImageRegionDistributeList entry of image for region.
func copyIn(t *testing.T, s *appstreamtest.Server, image, region string) (regionCopy, bool) {
	t.Helper()
	p := mustList(t, s, map[string]string{"ImageId": image}, nil)
	if len(p.Data) != 1 {
		t.Fatalf("ListImage(ImageId %s) = %d images, want 1", image, len(p.Data))
	}
	for _, c := range p.Data[0].ImageRegionDistributeList {
		if c.RegionID == region {
			return c, true
		}
	}
	return regionCopy{}, false
}

// percent parses "70%", failing the test on anything else.
func percent(t *testing.T, c regionCopy) int {
	t.Helper()
	n, err := strconv.Atoi(strings.TrimSuffix(c.Progress, "%"))
	if err != nil || !strings.HasSuffix(c.Progress, "%") || n < 0 || n > 100 {
		t.Fatalf("Progress = %q, want 0%%..100%%", c.Progress)
	}
	return n
}

func TestDistributeNotReady(t *testing.T) {
	s := newServer(t)
	s.AddImage(appstreamtest.Image{ImageID: "imgc-1", Status: "CREATING", HomeRegion: "cn-shanghai"})
	if got := callSDK(t, s, testCred, nil, "imgc-1", "cn-beijing"); got.status != 400 || got.code != "ImageRegion.NotConfigured" {
		t.Fatalf("distribute CREATING image = %+v, want 400 ImageRegion.NotConfigured", got)
	}
	if d := s.Distributed("imgc-1"); len(d) != 0 {
		t.Errorf("Distributed = %v after refusal, want none", d)
	}
	s.SetImageStatus("imgc-1", "AVAILABLE")
	if got := callSDK(t, s, testCred, nil, "imgc-1", "cn-beijing"); got.status != 200 {
		t.Fatalf("distribute AVAILABLE image = %+v, want 200", got)
	}
	if diff := cmp.Diff([]string{"cn-beijing"}, s.Distributed("imgc-1")); diff != "" {
		t.Errorf("Distributed mismatch (-want +got):\n%s", diff)
	}
}

func TestDistributeProgress(t *testing.T) {
	const dur = 200 * time.Millisecond
	s := newServer(t)
	s.SetDistributeDuration(dur)
	s.AddImage(appstreamtest.Image{ImageID: "imgc-1", HomeRegion: "cn-shanghai", VersionID: "iv-7"})
	start := time.Now()
	if got := callSDK(t, s, testCred, nil, "imgc-1", "cn-beijing"); got.status != 200 {
		t.Fatalf("distribute = %+v, want 200", got)
	}
	first, ok := copyIn(t, s, "imgc-1", "cn-beijing")
	// Only if the whole round trip fit in dur must the copy still be running.
	if !ok || (time.Since(start) < dur && first.Status == "AVAILABLE") {
		t.Fatalf("copy right after start = %+v (found %v), want INIT or CREATING", first, ok)
	}

	repeats := []struct{ name, region string }{{"in progress", "cn-beijing"}, {"home region", "cn-shanghai"}}
	for _, r := range repeats {
		if got := callSDK(t, s, testCred, nil, "imgc-1", r.region); got.status != 400 || got.code != "ImageDistribute.RepeatedDistribution" {
			t.Errorf("distribute %s = %+v, want 400 ImageDistribute.RepeatedDistribution", r.name, got)
		}
	}

	last := -1
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		c, _ := copyIn(t, s, "imgc-1", "cn-beijing")
		pct := percent(t, c)
		wantStatus := map[bool]string{true: "CREATING", false: "INIT"}[pct > 0]
		if pct == 100 {
			wantStatus = "AVAILABLE"
		}
		if c.Status != wantStatus || pct < last || c.VersionID != "iv-7" || c.ImageID != "imgc-1" {
			t.Fatalf("copy = %+v after %d%%, want status %s, progress not going back, version iv-7", c, last, wantStatus)
		}
		last = pct
		if pct == 100 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("copy still %+v after 10s, want AVAILABLE after %v", c, dur)
		}
	}
	if diff := cmp.Diff([]string{"cn-beijing"}, s.Distributed("imgc-1")); diff != "" {
		t.Errorf("Distributed mismatch (-want +got):\n%s", diff)
	}
}

func TestMarkDistributedCatalogued(t *testing.T) {
	s := newServer(t)
	s.SetDistributeDuration(time.Hour)
	s.MarkDistributed("imgc-1", "cn-hangzhou") // before AddImage: the copy is kept
	s.AddImage(appstreamtest.Image{ImageID: "imgc-1", HomeRegion: "cn-shanghai"})
	if got := callSDK(t, s, testCred, nil, "imgc-1", "cn-beijing"); got.status != 200 {
		t.Fatalf("distribute = %+v, want 200", got)
	}
	if c, _ := copyIn(t, s, "imgc-1", "cn-beijing"); c.Status != "INIT" || c.Progress != "0%" {
		t.Errorf("copy of an hour-long distribution = %+v, want INIT 0%%", c)
	}
	s.MarkDistributed("imgc-1", "cn-beijing") // finishes it early
	p := mustList(t, s, map[string]string{"ImageId": "imgc-1"}, nil)
	want := []regionCopy{
		{"imgc-1", "cn-shanghai", "AVAILABLE", "100%", "iv-1"},
		{"imgc-1", "cn-beijing", "AVAILABLE", "100%", "iv-1"},
		{"imgc-1", "cn-hangzhou", "AVAILABLE", "100%", "iv-1"},
	}
	if diff := cmp.Diff(want, p.Data[0].ImageRegionDistributeList); diff != "" {
		t.Errorf("ImageRegionDistributeList mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"cn-beijing", "cn-hangzhou"}, s.Distributed("imgc-1")); diff != "" {
		t.Errorf("Distributed mismatch (-want +got):\n%s", diff)
	}
}

func TestConcurrentListAndDistribute(t *testing.T) {
	s := newServer(t)
	s.SetDistributeDuration(50 * time.Millisecond)
	for i := range 20 {
		s.AddImage(appstreamtest.Image{ImageID: fmt.Sprintf("imgc-%d", i), HomeRegion: "cn-shanghai"})
	}
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Go(func() {
			if got := callSDK(t, s, testCred, nil, fmt.Sprintf("imgc-%d", i), "cn-beijing"); got.status != 200 {
				t.Errorf("distribute imgc-%d = %+v, want 200", i, got)
			}
		})
		wg.Go(func() {
			if p, status, code := listSDK(t, s, map[string]string{"PageSize": "100"}, nil); status != 200 || p.Count != 20 {
				t.Errorf("ListImage = %d %q, Count %d, want 200 and 20", status, code, p.Count)
			}
		})
		wg.Go(func() { s.SetImageStatus(fmt.Sprintf("imgc-%d", i), "AVAILABLE") })
	}
	wg.Wait()
	if n := s.ListCalls(); n != 20 {
		t.Errorf("ListCalls() = %d, want 20", n)
	}
}

// A copy seeded part-way shows its progress and goes on in real time; a
// failed one shows CREATE_FAILED where it stopped, and a new call starts
// it again.
func TestMarkCopyingAndFailed(t *testing.T) {
	s := newServer(t)
	s.AddImage(appstreamtest.Image{ImageID: "imgc-1", HomeRegion: "cn-shanghai"})
	s.MarkCopying("imgc-1", 40*time.Minute, 100*time.Minute, "cn-beijing", "cn-hangzhou")
	s.MarkFailed("imgc-1", "cn-hangzhou", "ap-southeast-1")
	beijing, _ := copyIn(t, s, "imgc-1", "cn-beijing")
	if pct := percent(t, beijing); beijing.Status != "CREATING" || pct != 40 {
		t.Errorf("copy seeded at 40 of 100 minutes = %+v, want CREATING 40%%", beijing)
	}
	for region, want := range map[string]string{"cn-hangzhou": "40%", "ap-southeast-1": "0%"} {
		if c, ok := copyIn(t, s, "imgc-1", region); !ok || c.Status != "CREATE_FAILED" || c.Progress != want || c.VersionID != "iv-1" {
			t.Errorf("failed copy in %s = %+v (found %v), want CREATE_FAILED %s of iv-1", region, c, ok, want)
		}
	}
	if s.Holds("imgc-1", "cn-hangzhou") || !s.Holds("imgc-1", "cn-beijing") {
		t.Errorf("Holds(failed cn-hangzhou, copying cn-beijing) = %v, %v; want false, true",
			s.Holds("imgc-1", "cn-hangzhou"), s.Holds("imgc-1", "cn-beijing"))
	}
	if got := callSDK(t, s, testCred, nil, "imgc-1", "cn-hangzhou"); got.status != 200 {
		t.Fatalf("distribute to the failed region = %+v, want 200: it starts again", got)
	}
	if c, _ := copyIn(t, s, "imgc-1", "cn-hangzhou"); c.Status != "AVAILABLE" {
		t.Errorf("restarted copy = %+v, want AVAILABLE (no distribute duration set)", c)
	}
	if got := callSDK(t, s, testCred, nil, "imgc-1", "cn-beijing"); got.code != "ImageDistribute.RepeatedDistribution" {
		t.Errorf("distribute to the region still copying = %+v, want RepeatedDistribution", got)
	}
}
