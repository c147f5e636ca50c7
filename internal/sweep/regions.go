package sweep

import "github.com/image-distributor/image-distributor/internal/appstream"

// State is what ListImage shows of one region's copy of the wanted version.
type State string

// The states a region can be in. A region in none of them is missing.
const (
	Done    State = "done"    // the region holds the wanted version
	Copying State = "copying" // a copy of it is under way
	Failed  State = "failed"  // the last copy of it failed
)

// RegionState is one region's state; Progress is the API's percentage
// ("70%") while Copying.
type RegionState struct {
	State    State
	Progress string
}

// CodeNotReady marks an image a listing shows still being built.
const CodeNotReady = "ImageNotReady"

// NotReady says why an image a listing shows still being built (INIT or
// CREATING) cannot be distributed yet, or "" when it is not being built.
// The sweep, the status query and the handler's pre-check all read a
// listed image's readiness here.
func NotReady(status string) string {
	if status == statusInit || status == statusCreating {
		return "the image is " + status + "; it is distributed once AVAILABLE"
	}
	return ""
}

// Copy statuses as ListImage reports them. Only INIT appears in the API's
// examples; the rest are the image status vocabulary, which the Cloud Phone
// sibling API also uses for copies (API-NOTES §1, §7).
const (
	statusAvailable    = "AVAILABLE"
	statusInit         = "INIT"
	statusCreating     = "CREATING"
	statusCreateFailed = "CREATE_FAILED"
)

// Regions reads where img holds versionID (empty: any version). It is the
// project's one reading of ListImage's region lists.
//
// ImageRegionDistributeList decides first: a region is Done when its entry
// for the version is AVAILABLE, Copying while INIT or CREATING, Failed when
// CREATE_FAILED. The better state wins when a region has several entries.
// An entry without a VersionId is not known to be the wanted version, and
// an entry in any other status says nothing, so both leave the region
// missing: a needless start costs one RepeatedDistribution answer, a wrong
// Done leaves a region without the image for good.
//
// ImageRegionList is documented only as "regions" and may hold copy
// regions too, so it cannot say which region is home or whether a copy
// there has finished. It makes a region Done only when it is the one
// region listed and the distribution list has no entry for it.
func Regions(img appstream.Image, versionID string) map[string]RegionState {
	out := map[string]RegionState{}
	hasEntry := map[string]bool{}
	for _, c := range img.Copies {
		if c.RegionID == "" {
			continue
		}
		hasEntry[c.RegionID] = true
		if versionID != "" && c.VersionID != versionID {
			continue
		}
		var rs RegionState
		switch c.Status {
		case statusAvailable:
			rs.State = Done
		case statusInit, statusCreating:
			rs = RegionState{State: Copying, Progress: c.Progress}
		case statusCreateFailed:
			rs.State = Failed
		default:
			continue
		}
		if cur, ok := out[c.RegionID]; !ok || rank(rs.State) > rank(cur.State) {
			out[c.RegionID] = rs
		}
	}
	if r, ok := onlyRegion(img.Regions); ok && !hasEntry[r] {
		out[r] = RegionState{State: Done}
	}
	return out
}

func rank(s State) int {
	switch s {
	case Done:
		return 3
	case Copying:
		return 2
	}
	return 1
}

// onlyRegion returns the one distinct region of rs, if there is one.
func onlyRegion(rs []string) (string, bool) {
	var only string
	for _, r := range rs {
		switch {
		case r == "" || r == only:
		case only != "":
			return "", false
		default:
			only = r
		}
	}
	return only, only != ""
}
