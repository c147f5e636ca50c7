package sweep_test

import (
	"slices"
	"testing"

	"github.com/image-distributor/image-distributor/internal/appstream"
	"github.com/image-distributor/image-distributor/internal/reading"
	"github.com/image-distributor/image-distributor/internal/sweep"
)

// TestNoteHomes: the reading check's home_region uses planning's own rule,
// so a copy region listed beside the home one is no finding (the raw check
// once counted it), and an image planning cannot place is one.
func TestNoteHomes(t *testing.T) {
	copyOf := func(region string) appstream.Copy {
		return appstream.Copy{RegionID: region, Status: "AVAILABLE", VersionID: "iv"}
	}
	img := func(id, status string, regions []string, copies ...appstream.Copy) appstream.Image {
		return appstream.Image{ImageID: id, Status: status, VersionID: "iv", Regions: regions, Copies: copies}
	}
	tests := []struct {
		name  string
		image appstream.Image
		want  string // the example noted; "" for none
	}{
		{"one region", img("imgc-a", "AVAILABLE", []string{"cn-shanghai"}), ""},
		{"a copy listed beside home", img("imgc-a", "AVAILABLE", []string{"cn-shanghai", "cn-beijing"}, copyOf("cn-beijing")), ""},
		{"two regions, both copies", img("imgc-a", "AVAILABLE", []string{"cn-shanghai", "cn-beijing"}, copyOf("cn-shanghai"), copyOf("cn-beijing")),
			`imgc-a: ImageRegionList is ["cn-shanghai","cn-beijing"]`},
		{"no region at all", img("imgc-a", "AVAILABLE", nil), "imgc-a: ImageRegionList is missing"},
		{"still being built", img("imgc-a", "CREATING", nil), ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var tally reading.Tally
			sweep.NoteHomes(&tally, []appstream.Image{tc.image})
			var got []string
			for _, f := range tally.Findings() {
				if f.Kind == reading.NoHome {
					got = f.Examples
				}
			}
			if tc.want == "" && len(got) != 0 || tc.want != "" && (len(got) != 1 || got[0] != tc.want) {
				t.Errorf("home_region examples %q, want %q", got, tc.want)
			}
		})
	}
	sweep.NoteHomes(nil, []appstream.Image{img("imgc-a", "AVAILABLE", nil)}) // no tally: nothing to do
}

// TestReadingKnowsTheCopyStatusesRegionsReads: the reading check's list of
// known copy statuses is the set Regions gives a state, so the check
// reports exactly the statuses the sweep ignores. (reading cannot import
// sweep, which reaches it through appstream.)
func TestReadingKnowsTheCopyStatusesRegionsReads(t *testing.T) {
	for _, status := range append([]string{"FINISHED", "DELETED", ""}, reading.CopyStatuses...) {
		img := appstream.Image{ImageID: "imgc-a", VersionID: "iv", Regions: []string{"cn-shanghai"},
			Copies: []appstream.Copy{{RegionID: "cn-beijing", Status: status, VersionID: "iv"}}}
		_, read := sweep.Regions(img, "iv")["cn-beijing"]
		if known := slices.Contains(reading.CopyStatuses, status); read != known {
			t.Errorf("copy status %q: Regions reads it %v, reading.CopyStatuses knows it %v", status, read, known)
		}
	}
}
