package sweep

import (
	"cmp"

	"github.com/image-distributor/image-distributor/internal/appstream"
	"github.com/image-distributor/image-distributor/internal/plan"
	"github.com/image-distributor/image-distributor/internal/trigger"
)

// Missing is the state of a desired region that holds no copy of the
// wanted version and has none under way or failed.
const Missing State = "missing"

// Destination is one region an image should be in, and its state there.
type Destination struct {
	Region   string
	State    State  // Done, Copying, Failed or Missing
	Progress string // the API's percentage while Copying
}

// Verdict sums up an image's coverage in one word.
type Verdict string

// The verdicts.
const (
	// VerdictComplete: the image is AVAILABLE and every desired region
	// holds the wanted version (also when the only one is its source).
	VerdictComplete Verdict = "complete"
	// VerdictInProgress: nothing is missing or failed and something is
	// under way: the image is AVAILABLE and every region not done has a
	// copy under way, or the image itself is still being built (INIT or
	// CREATING), so its copies cannot start yet.
	VerdictInProgress Verdict = "in-progress"
	// VerdictIncomplete: the image is AVAILABLE and a desired region is
	// missing or its copy failed; or the image is CREATE_FAILED (or in any
	// other status) and will never reach them; or its regions cannot be
	// planned.
	VerdictIncomplete Verdict = "incomplete"
)

// Coverage is where one listed image is against where it should be: each
// region the planner wants it in, in plan order, with its state there,
// and a verdict. It is what a status query answers.
type Coverage struct {
	Status       string // the image's own status, as listed
	VersionID    string // the version that counts: the one asked for, else the image's
	ProductType  string
	SourceRegion string // empty when no listed region is known to be the source
	Destinations []Destination
	Verdict      Verdict
}

// cover plans img's destination regions as a distribute request naming
// named's fields would be planned, with the same planner and settings,
// and reads each region's state from the listing (Regions). The image's
// own product type and source region stand in for the ones named leaves
// empty.
func cover(img appstream.Image, named trigger.Image, s plan.Settings) (Coverage, plan.Plan) {
	version := cmp.Or(named.VersionID, img.VersionID)
	states := Regions(img, version)
	c := Coverage{Status: img.Status, VersionID: version, ProductType: cmp.Or(named.ProductType, img.ProductType),
		SourceRegion: cmp.Or(named.SourceRegion, source(img, states))}
	p := plan.Make([]trigger.Image{{ImageID: img.ImageID, VersionID: version, ProductType: c.ProductType,
		SourceRegion: c.SourceRegion, Destinations: named.Destinations}}, s)
	if len(p.Tasks) > 0 {
		c.ProductType = p.Tasks[0].ProductType // PRODUCT_TYPE when the listing names none
		for _, r := range p.Tasks[0].Regions {
			d := Destination{Region: r, State: Missing}
			if st, ok := states[r]; ok {
				d.State, d.Progress = st.State, st.Progress
			}
			c.Destinations = append(c.Destinations, d)
		}
	}
	c.Verdict = verdict(img.Status, c.Destinations, len(p.Problems) == 0)
	return c, p
}

// verdict is the one rule that sums up a coverage (see the constants).
func verdict(status string, ds []Destination, planned bool) Verdict {
	switch {
	case NotReady(status) != "":
		return VerdictInProgress
	case status != statusAvailable || !planned:
		return VerdictIncomplete
	}
	v := VerdictComplete
	for _, d := range ds {
		switch d.State {
		case Done:
		case Copying:
			v = VerdictInProgress
		default:
			return VerdictIncomplete
		}
	}
	return v
}
