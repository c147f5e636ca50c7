package sweep

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"github.com/image-distributor/image-distributor/internal/appstream"
	"github.com/image-distributor/image-distributor/internal/plan"
	"github.com/image-distributor/image-distributor/internal/trigger"
)

// The codes of the sweep's own decisions.
const (
	CodeNotSupported  = "ImageDistribute.ImageNotSupport"
	CodeSourceUnknown = "SourceRegionUnknown"
)

// reconcile decides for one image at tick t. named is the payload's entry
// for it, if any (zero otherwise). window is how far back a schedule
// point still counts for this tick (see pointDue).
func reconcile(img appstream.Image, named trigger.Image, s Settings, t Tick, window time.Duration) Item {
	now := t.At
	c, p := cover(img, named, s.Plan)
	// The task carries what is known of the image even when nothing is
	// started, so every report says which version and product it saw.
	it := Item{ImageID: img.ImageID, Coverage: c, Listed: img, Task: plan.Task{ImageID: img.ImageID, VersionID: img.VersionID,
		ProductType: img.ProductType, SourceRegion: c.SourceRegion}}
	switch {
	case NotReady(img.Status) != "":
		it.Action, it.Code, it.Reason = Deferred, CodeNotReady, NotReady(img.Status)
		return it
	case img.Status != statusAvailable:
		it.block("ImageNotAvailable", "the image is "+img.Status+", not AVAILABLE", "", img.Created, t, window)
		return it
	case !img.Created.IsZero() && max(now.Sub(img.Created), 0) < s.Sweep.MinAge:
		it.Action, it.Code = Deferred, "ImageTooNew"
		it.Reason = fmt.Sprintf("created %s ago; SWEEP_MIN_AGE leaves it to its creation event for %s", now.Sub(img.Created).Round(time.Second), s.Sweep.MinAge)
		return it
	case c.SourceRegion == "" && len(s.Plan.Regions.BySource) > 0:
		// Planning without a source would fall back on DESTINATION_REGIONS:
		// paid copies to regions the operator may have excluded for it.
		it.Action, it.Code = SourceUnknown, CodeSourceUnknown
		it.Reason = fmt.Sprintf("the listing does not tell which region the image was built in (ImageRegionList: %v), so %s cannot apply; "+
			"the image is skipped rather than copied to the default regions: name its sourceRegion in the timer payload", img.Regions, "DESTINATION_REGIONS_BY_SOURCE")
		return it
	case len(p.Problems) > 0:
		it.block(p.Problems[0].Code, p.Problems[0].Message, p.Problems[0].Region, img.Created, t, window)
		return it
	case len(p.Tasks) == 0:
		it.Action = Complete // nothing to copy: the only destination is the source
		return it
	}
	it.Task = p.Tasks[0]

	var due []string
	for _, d := range c.Destinations {
		switch d.State {
		case Done:
		case Copying:
			if it.Progress == nil {
				it.Progress = map[string]string{}
			}
			it.Progress[d.Region] = d.Progress
		default: // missing, or a failed copy: on the backoff schedule
			a := attempt(d.Region, d.State, holdsOther(img, d.Region, c.VersionID), img.Created, img.Modified, t, window)
			it.Attempts = append(it.Attempts, a)
			if a.Due {
				due = append(due, d.Region)
			}
		}
	}
	switch {
	case img.Encrypted && len(it.Attempts) > 0:
		// The API refuses an encrypted image whatever is asked (API-NOTES
		// §5), so it is not asked; Attempts still say when to report it.
		it.Action, it.Code = Refuse, CodeNotSupported
		it.Reason = "the image's volumes are encrypted (VolumeEncryptionEnabled), and the API does not distribute such an image"
	case len(due) > 0:
		it.Action = Start
		it.Task.Regions = due
	case len(it.Attempts) > 0:
		it.Action = Backoff
		it.Reason = "no region that needs a copy is due on this tick: failed, refused or missing past its first two hours, each is asked for again on a backoff schedule; the next at " + it.NextAttempt().Format(time.RFC3339)
	case len(it.Progress) > 0:
		it.Action = InProgress
	default:
		it.Action = Complete
	}
	return it
}

// NextAttempt is the earliest next point among the regions not asked for
// this tick, or for Blocked the image's next step; zero when there are none.
func (it Item) NextAttempt() time.Time {
	if it.Action == Blocked {
		return it.Next
	}
	var next time.Time
	for _, a := range it.Attempts {
		if !a.Due || it.Action == Refuse {
			if next.IsZero() || a.Next.Before(next) {
				next = a.Next
			}
		}
	}
	return next
}

// holdsOther reports whether img's distribution list shows region holding
// a version other than version.
func holdsOther(img appstream.Image, region, version string) bool {
	for _, c := range img.Copies {
		if c.RegionID == region && c.VersionID != "" && c.VersionID != cmp.Or(version, c.VersionID) {
			return true
		}
	}
	return false
}

// source picks the region to copy from: the image's home region as the
// listing shows it. ImageRegionList is documented only as "regions" and
// may list copy regions too, so home is its one region; else the one
// listed region the distribution list has no entry for (a copy has one);
// else the one listed region holding the wanted version. Failing those,
// the source is left empty: the API picks one ("a random region is
// selected", API-NOTES §1), and DESTINATION_REGIONS_BY_SOURCE cannot
// apply (see reconcile).
func source(img appstream.Image, states map[string]RegionState) string {
	if r, ok := onlyRegion(img.Regions); ok {
		if states[r].State == Done {
			return r
		}
		return ""
	}
	entry := map[string]bool{}
	for _, c := range img.Copies {
		entry[c.RegionID] = true
	}
	var homes []string
	for _, r := range img.Regions {
		if r != "" && !entry[r] && !slices.Contains(homes, r) {
			homes = append(homes, r)
		}
	}
	if len(homes) == 1 {
		return homes[0]
	}
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
