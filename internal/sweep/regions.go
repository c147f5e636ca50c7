package sweep

import "github.com/image-distributor/image-distributor/internal/appstream"

// The region states Regions reports; Failed is the Action of that name.
const (
	Done    Action = "done"    // the region holds the wanted version
	Copying Action = "copying" // a copy of it is under way
)

// RegionState is one region's copy of an image as ListImage shows it.
type RegionState struct {
	State    Action // Done, Copying or Failed
	Progress string
}

// Regions reads, for each region ListImage shows a copy of versionID in
// (any version when empty), whether it is done, under way or failed
// (CREATE_FAILED). A region absent from the map is missing.
func Regions(img appstream.Image, versionID string) map[string]RegionState {
	done, running := state(img, versionID)
	out := map[string]RegionState{}
	for _, c := range img.Copies {
		if c.Status == statusCreateFailed && (c.VersionID == "" || versionID == "" || c.VersionID == versionID) {
			out[c.RegionID] = RegionState{State: Failed, Progress: c.Progress}
		}
	}
	for r, p := range running {
		out[r] = RegionState{State: Copying, Progress: p}
	}
	for r := range done {
		out[r] = RegionState{State: Done, Progress: "100%"}
	}
	return out
}
