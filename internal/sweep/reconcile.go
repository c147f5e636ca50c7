package sweep

import (
	"fmt"
	"time"

	"github.com/image-distributor/image-distributor/internal/appstream"
	"github.com/image-distributor/image-distributor/internal/plan"
	"github.com/image-distributor/image-distributor/internal/trigger"
)

// Copy states as ListImage reports them.
const (
	statusAvailable = "AVAILABLE"
	statusInit      = "INIT"
	statusCreating  = "CREATING"
	// statusCreateFailed is inferred: the only failed-copy value published
	// is Cloud Phone's (API-NOTES §7).
	statusCreateFailed = "CREATE_FAILED"
)

// reconcile decides for one image. named is the payload's entry for it,
// if any (zero otherwise).
func reconcile(img appstream.Image, named trigger.Image, s Settings, now time.Time) Item {
	// The task carries what is known of the image even when nothing is
	// started, so every report says which version and product it saw.
	it := Item{ImageID: img.ImageID, Task: plan.Task{ImageID: img.ImageID, VersionID: img.VersionID, ProductType: img.ProductType}}
	if len(img.Regions) > 0 {
		it.Task.SourceRegion = img.Regions[0]
	}
	switch {
	case img.Status == statusInit || img.Status == statusCreating:
		it.Action, it.Code, it.Reason = Deferred, "ImageNotReady", "the image is "+img.Status+"; it is distributed once AVAILABLE"
		return it
	case img.Status != statusAvailable:
		it.Action, it.Code, it.Reason = Failed, "ImageNotAvailable", "the image is "+img.Status+", not AVAILABLE"
		return it
	case !img.Created.IsZero() && now.Sub(img.Created) < s.Sweep.MinAge:
		it.Action, it.Code = Deferred, "ImageTooNew"
		it.Reason = fmt.Sprintf("created %s ago; SWEEP_MIN_AGE leaves it to its creation event for %s", now.Sub(img.Created).Round(time.Second), s.Sweep.MinAge)
		return it
	}

	want := trigger.Image{ImageID: img.ImageID, VersionID: img.VersionID, ProductType: img.ProductType,
		SourceRegion: it.Task.SourceRegion, Destinations: named.Destinations}
	if named.VersionID != "" {
		want.VersionID = named.VersionID
	}
	if named.ProductType != "" {
		want.ProductType = named.ProductType
	}
	p := plan.Make([]trigger.Image{want}, s.Plan)
	switch {
	case len(p.Problems) > 0:
		it.Action, it.Code, it.Reason = Failed, p.Problems[0].Code, p.Problems[0].Message
		return it
	case len(p.Tasks) == 0:
		it.Action = Complete // nothing to copy: the only destination is the source
		return it
	}
	task := p.Tasks[0]
	it.Task = task

	done, running := state(img, task.VersionID)
	var missing []string
	for _, r := range task.Regions {
		if _, ok := running[r]; ok {
			if it.Progress == nil {
				it.Progress = map[string]string{}
			}
			it.Progress[r] = running[r]
		} else if !done[r] {
			missing = append(missing, r)
		}
	}
	switch {
	case len(missing) > 0:
		it.Action = Start
		it.Task.Regions = missing
	case len(it.Progress) > 0:
		it.Action = InProgress
	default:
		it.Action = Complete
	}
	return it
}

// state splits an image's regions into those holding the wanted version
// and those whose copy of it is under way, with its progress. A failed
// copy counts as neither, so it is started again.
func state(img appstream.Image, version string) (done map[string]bool, running map[string]string) {
	done, running = map[string]bool{}, map[string]string{}
	for _, r := range img.Regions {
		done[r] = true
	}
	for _, c := range img.Copies {
		if c.VersionID != "" && version != "" && c.VersionID != version {
			continue
		}
		switch c.Status {
		case statusAvailable:
			done[c.RegionID] = true
		case statusInit, statusCreating:
			running[c.RegionID] = c.Progress
		}
	}
	for r := range done {
		delete(running, r)
	}
	return done, running
}
