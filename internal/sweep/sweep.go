// Package sweep compares where managed images should be with where they
// are, and decides, without any I/O, which regions each image still
// needs. Timer invocations run it so that a missed or early event is
// caught up on the next tick.
package sweep

import (
	"fmt"
	"path"
	"slices"
	"time"

	"github.com/image-distributor/image-distributor/internal/appstream"
	"github.com/image-distributor/image-distributor/internal/config"
	"github.com/image-distributor/image-distributor/internal/plan"
	"github.com/image-distributor/image-distributor/internal/trigger"
)

// Action is what the sweep decided for one image.
type Action string

// The actions, in the words the result reports them.
const (
	Complete   Action = "complete"    // every desired region has the image
	Start      Action = "start"       // Task lists the regions still missing
	InProgress Action = "in-progress" // copies are under way, nothing is missing
	Deferred   Action = "deferred"    // not ready yet, or too young: a later run handles it
	NotReached Action = "not-reached" // over MAX_IMAGES_PER_INVOCATION: the next run continues
	Failed     Action = "failed"      // cannot be distributed as configured
)

// Item is the sweep's decision for one managed image.
type Item struct {
	ImageID string
	Action  Action
	Task    plan.Task // the whole desired set, or for Start the missing regions
	// Progress maps each region whose copy is under way to its progress.
	Progress map[string]string
	Code     string // for Deferred, NotReached and Failed
	Reason   string
}

// Settings are what reconciling needs from the configuration.
type Settings struct {
	Plan  plan.Settings
	Sweep config.Sweep
}

// Reconcile decides what each managed image needs. Images are managed when
// the configuration selects them or the timer payload names them; the
// payload's fields (version, destinations) win for the images it names.
// Items come in listing order, then payload images the listing lacks.
func Reconcile(listed []appstream.Image, named []trigger.Image, s Settings, now time.Time) []Item {
	byID := map[string]trigger.Image{}
	for _, n := range named {
		byID[n.ImageID] = n
	}
	var items []Item
	starts := 0
	seen := map[string]bool{}
	for _, img := range listed {
		n, isNamed := byID[img.ImageID]
		if seen[img.ImageID] || !(isNamed || selected(img, s.Sweep)) {
			continue
		}
		seen[img.ImageID] = true
		it := reconcile(img, n, s, now)
		if it.Action == Start {
			if starts++; s.Plan.MaxImages > 0 && starts > s.Plan.MaxImages {
				it.Action, it.Code = NotReached, "TooManyImages"
				it.Reason = fmt.Sprintf("more than %d images need copies (%s); the next run continues", s.Plan.MaxImages, config.EnvMaxImages)
			}
		}
		items = append(items, it)
	}
	for _, n := range named {
		if !seen[n.ImageID] {
			seen[n.ImageID] = true
			items = append(items, Item{ImageID: n.ImageID, Action: Failed, Code: "ImageNotFound",
				Reason: "ListImage does not return this image"})
		}
	}
	return items
}

// selected applies the configured selection. User images only: shared,
// system and community images belong to someone else.
func selected(img appstream.Image, s config.Sweep) bool {
	if !s.Selects() || (img.ImageType != "" && img.ImageType != "User") {
		return false
	}
	if len(s.ProductTypes) > 0 && !slices.Contains(s.ProductTypes, img.ProductType) {
		return false
	}
	if slices.Contains(s.ImageIDs, img.ImageID) {
		return true
	}
	if s.NamePattern == "" && len(s.Tags) == 0 {
		return false
	}
	if s.NamePattern != "" {
		if ok, _ := path.Match(s.NamePattern, img.ImageName); !ok {
			return false
		}
	}
	for k, v := range s.Tags {
		if got, ok := img.Tags[k]; !ok || got != v {
			return false
		}
	}
	return true
}
