package sweep_test

import (
	"testing"
	"time"

	"github.com/image-distributor/image-distributor/internal/appstream"
	"github.com/image-distributor/image-distributor/internal/sweep"
	"github.com/image-distributor/image-distributor/internal/trigger"
)

// An image that comes back on a later page is counted once, and the pass
// says the listing shifted under it.
func TestPassCountsEachImageOnceAndSeesAShift(t *testing.T) {
	img := func(id string) appstream.Image {
		return appstream.Image{ImageID: id, ImageType: "User", Status: "AVAILABLE"}
	}
	p := sweep.NewPass(nil, sweep.Settings{}, time.Now())
	p.Page([]appstream.Image{img("imgc-a"), img("imgc-b")})
	if p.Shifted() {
		t.Fatal("Shifted() = true before any image came back")
	}
	p.Page([]appstream.Image{img("imgc-b"), img("imgc-c")})
	if p.Listed() != 3 || !p.Shifted() {
		t.Errorf("Listed() = %d, Shifted() = %v; want 3, true", p.Listed(), p.Shifted())
	}
}

// A payload image a shifted listing did not return may be on a page it
// read too early: not reached, never "not found".
func TestShiftedPassDoesNotCallAnImageNotFound(t *testing.T) {
	img := func(id string) appstream.Image {
		return appstream.Image{ImageID: id, ImageType: "User", Status: "AVAILABLE"}
	}
	p := sweep.NewPass([]trigger.Image{{ImageID: "imgc-z"}}, sweep.Settings{}, time.Now())
	p.Page([]appstream.Image{img("imgc-a"), img("imgc-b")})
	p.Page([]appstream.Image{img("imgc-b"), img("imgc-c")})
	if items := p.Unlisted(true); len(items) != 1 || items[0].Action != sweep.NotReached {
		t.Errorf("Unlisted(true) after a shift = %+v, want imgc-z not reached", items)
	}
}
