package sweep

import (
	"fmt"
	"time"

	"github.com/image-distributor/image-distributor/internal/appstream"
	"github.com/image-distributor/image-distributor/internal/plan"
	"github.com/image-distributor/image-distributor/internal/trigger"
)

// reconcile decides for one image. named is the payload's entry for it,
// if any (zero otherwise).
func reconcile(img appstream.Image, named trigger.Image, s Settings, now time.Time) Item {
	c, p := cover(img, named, s.Plan)
	// The task carries what is known of the image even when nothing is
	// started, so every report says which version and product it saw.
	it := Item{ImageID: img.ImageID, Coverage: c, Task: plan.Task{ImageID: img.ImageID, VersionID: img.VersionID,
		ProductType: img.ProductType, SourceRegion: c.SourceRegion}}
	switch {
	case NotReady(img.Status) != "":
		it.Action, it.Code, it.Reason = Deferred, CodeNotReady, NotReady(img.Status)
		return it
	case img.Status != statusAvailable:
		it.Action, it.Code, it.Reason = Blocked, "ImageNotAvailable", "the image is "+img.Status+", not AVAILABLE"
		return it
	case !img.Created.IsZero() && now.Sub(img.Created) < s.Sweep.MinAge:
		it.Action, it.Code = Deferred, "ImageTooNew"
		it.Reason = fmt.Sprintf("created %s ago; SWEEP_MIN_AGE leaves it to its creation event for %s", now.Sub(img.Created).Round(time.Second), s.Sweep.MinAge)
		return it
	case len(p.Problems) > 0:
		it.Action, it.Code, it.Reason = Blocked, p.Problems[0].Code, p.Problems[0].Message
		return it
	case len(p.Tasks) == 0:
		it.Action = Complete // nothing to copy: the only destination is the source
		return it
	}
	it.Task = p.Tasks[0]

	var missing []string
	for _, d := range c.Destinations {
		switch d.State {
		case Done:
		case Copying:
			if it.Progress == nil {
				it.Progress = map[string]string{}
			}
			it.Progress[d.Region] = d.Progress
		default: // missing, or a failed copy: start it (again)
			missing = append(missing, d.Region)
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

// source picks the region to copy from: the one region in ImageRegionList
// that holds the wanted version. With several, ImageRegionList cannot say
// which is home, since it may list copies too; with none, no listed region
// is known to hold the version. Either way the source is left empty and the
// API picks one ("a random region is selected", API-NOTES §1), which also
// means DESTINATION_REGIONS_BY_SOURCE cannot apply to that image.
func source(img appstream.Image, states map[string]RegionState) string {
	var found string
	for _, r := range img.Regions {
		if states[r].State != Done || r == found {
			continue
		}
		if found != "" {
			return ""
		}
		found = r
	}
	return found
}
