package sweep

import (
	"encoding/json"

	"github.com/image-distributor/image-distributor/internal/appstream"
	"github.com/image-distributor/image-distributor/internal/reading"
)

// Home is the region img is copied from, as planning reads it from the
// listing (see source), or "" when the listing cannot tell.
func Home(img appstream.Image, versionID string) string {
	return source(img, Regions(img, versionID))
}

// NoteHomes counts into t each AVAILABLE image of a page whose home region
// the planner cannot tell: the reading check's home_region, by the very
// rule planning applies, so the check never reports what the sweep reads
// fine, nor misses what it cannot.
func NoteHomes(t *reading.Tally, images []appstream.Image) {
	if t == nil {
		return // nothing records it: the status query
	}
	for _, img := range images {
		if img.Status != statusAvailable || Home(img, img.VersionID) != "" {
			continue
		}
		regions := "missing"
		if len(img.Regions) > 0 {
			b, _ := json.Marshal(img.Regions)
			regions = string(b)
		}
		t.Note(reading.NoHome, img.ImageID, "ImageRegionList is "+regions)
	}
}
