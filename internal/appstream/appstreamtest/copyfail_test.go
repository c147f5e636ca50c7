package appstreamtest_test

import (
	"testing"

	"github.com/image-distributor/image-distributor/internal/appstream/appstreamtest"
)

// TestCopyFailures: a start the stand-in fails on purpose is answered
// like any other, the listing then shows the region CREATE_FAILED, it is
// not held, and a new call starts it again.
func TestCopyFailures(t *testing.T) {
	s := newServer(t)
	s.AddImage(appstreamtest.Image{ImageID: "imgc-1", HomeRegion: "cn-shanghai"})
	s.SetCopyFailures(1, 7)
	if got := callSDK(t, s, testCred, nil, "imgc-1", "cn-hangzhou"); got.status != 200 {
		t.Fatalf("distribute = %+v, want 200 and a task ID", got)
	}
	page, status, _ := listSDK(t, s, map[string]string{"ImageId": "imgc-1"}, nil)
	if status != 200 || len(page.Data) != 1 {
		t.Fatalf("ListImage = %d, %+v", status, page)
	}
	var st string
	for _, c := range page.Data[0].ImageRegionDistributeList {
		if c.RegionID == "cn-hangzhou" {
			st = c.Status
		}
	}
	if st != "CREATE_FAILED" || s.Holds("imgc-1", "cn-hangzhou") || s.CopiesFailed() != 1 {
		t.Errorf("copy %q, held %v, failed %d; want CREATE_FAILED, not held, 1", st, s.Holds("imgc-1", "cn-hangzhou"), s.CopiesFailed())
	}
	s.SetCopyFailures(0, 0)
	if got := callSDK(t, s, testCred, nil, "imgc-1", "cn-hangzhou"); got.status != 200 || !s.Holds("imgc-1", "cn-hangzhou") {
		t.Errorf("a new call after the failure = %+v, held %v; want started and held", got, s.Holds("imgc-1", "cn-hangzhou"))
	}
}
