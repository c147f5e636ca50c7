package sweep_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/image-distributor/image-distributor/internal/appstream"
	"github.com/image-distributor/image-distributor/internal/sweep"
)

// TestRegions covers the shapes ListImage may take: the SDK model marks
// both lists omitempty, ImageRegionList is documented only as "regions"
// and may hold copy regions, and copies carry their own VersionId
// (API-NOTES §7).
func TestRegions(t *testing.T) {
	done := sweep.RegionState{State: sweep.Done}
	copying := func(p string) sweep.RegionState { return sweep.RegionState{State: sweep.Copying, Progress: p} }
	failed := sweep.RegionState{State: sweep.Failed}
	tests := []struct {
		name    string
		regions []string
		copies  []appstream.Copy
		version string
		want    map[string]sweep.RegionState
	}{
		{"both lists absent", nil, nil, "iv-2", map[string]sweep.RegionState{}},
		{"the only region listed, no entries", []string{"cn-shanghai"}, nil, "iv-2",
			map[string]sweep.RegionState{"cn-shanghai": done}},
		{"the only region listed, twice", []string{"cn-shanghai", "cn-shanghai"}, nil, "iv-2",
			map[string]sweep.RegionState{"cn-shanghai": done}},
		{"the only region listed is a copy under way", []string{"cn-hangzhou"}, []appstream.Copy{cp("cn-hangzhou", "CREATING", "40%")}, "iv-2",
			map[string]sweep.RegionState{"cn-hangzhou": copying("40%")}},
		{"two regions listed, no entries: neither is known to be done", []string{"cn-shanghai", "cn-hangzhou"}, nil, "iv-2",
			map[string]sweep.RegionState{}},
		{"a listed region whose copy is under way is not done", []string{"cn-hangzhou", "cn-shanghai"},
			[]appstream.Copy{cp("cn-hangzhou", "INIT", "0%"), cp("cn-shanghai", "AVAILABLE", "100%")}, "iv-2",
			map[string]sweep.RegionState{"cn-hangzhou": copying("0%"), "cn-shanghai": done}},
		{"entries only", nil, []appstream.Copy{cp("cn-beijing", "AVAILABLE", "100%"), cp("cn-shenzhen", "CREATING", "70%")}, "iv-2",
			map[string]sweep.RegionState{"cn-beijing": done, "cn-shenzhen": copying("70%")}},
		{"a failed copy", nil, []appstream.Copy{cp("cn-beijing", "CREATE_FAILED", "40%")}, "iv-2",
			map[string]sweep.RegionState{"cn-beijing": failed}},
		{"a copy of another version is missing", []string{"cn-shanghai"}, []appstream.Copy{
			{RegionID: "cn-shanghai", Status: "AVAILABLE", VersionID: "iv-1"}, {RegionID: "cn-beijing", Status: "AVAILABLE", VersionID: "iv-1"}}, "iv-2",
			map[string]sweep.RegionState{}},
		{"an entry without a version is not known to hold the wanted one", nil, []appstream.Copy{{RegionID: "cn-beijing", Status: "AVAILABLE"}}, "iv-2",
			map[string]sweep.RegionState{}},
		{"no wanted version: any version counts", nil, []appstream.Copy{{RegionID: "cn-beijing", Status: "AVAILABLE", VersionID: "iv-1"}}, "",
			map[string]sweep.RegionState{"cn-beijing": done}},
		{"a retry after a failure", nil, []appstream.Copy{cp("cn-beijing", "CREATE_FAILED", "10%"), cp("cn-beijing", "CREATING", "5%")}, "iv-2",
			map[string]sweep.RegionState{"cn-beijing": copying("5%")}},
		{"done wins over an older failed entry", nil, []appstream.Copy{cp("cn-beijing", "AVAILABLE", "100%"), cp("cn-beijing", "CREATE_FAILED", "10%")}, "iv-2",
			map[string]sweep.RegionState{"cn-beijing": done}},
		{"a status outside the vocabulary says nothing", []string{"cn-shanghai"}, []appstream.Copy{cp("cn-shanghai", "DELETE", ""), cp("cn-beijing", "", "")}, "iv-2",
			map[string]sweep.RegionState{}},
		{"an entry without a region is ignored", []string{"cn-shanghai"}, []appstream.Copy{cp("", "AVAILABLE", "100%")}, "iv-2",
			map[string]sweep.RegionState{"cn-shanghai": done}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			img := appstream.Image{ImageID: "imgc-a", Status: "AVAILABLE", VersionID: "iv-2", Regions: tc.regions, Copies: tc.copies}
			if diff := cmp.Diff(tc.want, sweep.Regions(img, tc.version)); diff != "" {
				t.Errorf("Regions(%v, %v, %q) mismatch (-want +got):\n%s", tc.regions, tc.copies, tc.version, diff)
			}
		})
	}
}
