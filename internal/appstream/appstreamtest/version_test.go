package appstreamtest_test

import (
	"testing"

	"github.com/image-distributor/image-distributor/internal/appstream/appstreamtest"
)

// A copy keeps the version it was made of: after a new version, ListImage
// shows the old copies at the old version, never relabelled as the new.
func TestCopiesKeepTheirVersion(t *testing.T) {
	s := newServer(t)
	s.AddImage(appstreamtest.Image{ImageID: "imgc-1", VersionID: "iv-old", HomeRegion: "cn-shanghai"})
	s.MarkDistributed("imgc-1", "cn-beijing")
	if got := callSDK(t, s, testCred, nil, "imgc-1", "cn-hangzhou"); got.status != 200 {
		t.Fatalf("distribute without VersionId = %+v, want 200", got)
	}
	s.AddImage(appstreamtest.Image{ImageID: "imgc-1", VersionID: "iv-new", HomeRegion: "cn-shanghai"})
	page, _, code := listSDK(t, s, map[string]string{"ImageId": "imgc-1"}, nil)
	if code != "" || len(page.Data) != 1 {
		t.Fatalf("ListImage = %+v, %s", page, code)
	}
	for _, c := range page.Data[0].ImageRegionDistributeList {
		want := "iv-old"
		if c.RegionID == "cn-shanghai" {
			want = "iv-new" // the home region holds the image as it is now
		}
		if c.VersionID != want {
			t.Errorf("%s copy at version %s, want %s", c.RegionID, c.VersionID, want)
		}
	}
}

// A region without the parent image refuses the whole call under the
// pessimistic reading, and only itself under the optimistic one.
func TestParentMissingRefusesTheCall(t *testing.T) {
	for _, tc := range []struct {
		name    string
		reading appstreamtest.Repeated
		status  int
		copies  int
	}{
		{"pessimistic", appstreamtest.RepeatedPessimistic, 400, 0},
		{"optimistic", appstreamtest.RepeatedOptimistic, 200, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newServer(t)
			s.AddImage(appstreamtest.Image{ImageID: "imgc-1", HomeRegion: "cn-shanghai"})
			s.SetParentMissing("imgc-1", "cn-beijing")
			s.SetRepeated(tc.reading)
			got := callSDK(t, s, testCred, nil, "imgc-1", "cn-hangzhou", "cn-beijing")
			if got.status != tc.status || (tc.status == 400 && got.code != "ParentImageRegionDistribute.NotExist") {
				t.Errorf("distribute = %+v, want %d", got, tc.status)
			}
			if n := len(s.Distributed("imgc-1")); n != tc.copies {
				t.Errorf("copies = %v, want %d", s.Distributed("imgc-1"), tc.copies)
			}
		})
	}
}
