// Package plan decides, without any I/O, which distribute calls an
// invocation makes: one task per image carrying all of its destination
// regions, drawn from the request or from configuration.
package plan

import (
	"fmt"
	"slices"
	"strings"

	"github.com/image-distributor/image-distributor/internal/config"
	"github.com/image-distributor/image-distributor/internal/trigger"
)

// Task is one StartTaskForDistributeImage call.
type Task struct {
	ImageID      string
	VersionID    string
	ProductType  string
	SourceRegion string
	Regions      []string
	// EventIDs are the events that asked for this task; more than one
	// when a batch repeats an image.
	EventIDs []string
}

// Key identifies what a task copies, so two requests for the same copy
// are recognised as one.
func (t Task) Key() string {
	return strings.Join([]string{t.ImageID, t.VersionID, t.ProductType, t.SourceRegion, strings.Join(t.Regions, ",")}, "|")
}

// Problem is an image the plan refuses, with the reason in words an
// operator can act on. Code is stable, for alerts and HTTP callers.
type Problem struct {
	Image   trigger.Image
	Code    string
	Message string
	Region  string // the region it is about, when it is one
}

// Plan is the outcome of planning a request.
type Plan struct {
	Tasks    []Task
	Problems []Problem
	// Skipped holds images with nothing to do, such as a destination list
	// that held only the image's own region.
	Skipped []trigger.Skip
}

// Settings are the parts of the configuration planning needs.
type Settings struct {
	Regions     config.Regions
	ProductType string
	MaxImages   int
}

// Make plans the images in order. Destinations come from the request when
// it names them (each must be allowed), otherwise from the source-region
// override, the product-type override or the default list, in that order.
// The source region is never a destination, and repeats collapse.
func Make(images []trigger.Image, s Settings) Plan {
	var p Plan
	index := map[string]int{}
	for _, img := range images {
		t, prob := task(img, s)
		switch {
		case prob != nil:
			p.Problems = append(p.Problems, *prob)
		case len(t.Regions) == 0:
			p.Skipped = append(p.Skipped, trigger.Skip{EventID: img.EventID,
				Reason: fmt.Sprintf("%s: no destination regions other than its source region %s", img.ImageID, img.SourceRegion)})
		default:
			if i, ok := index[t.Key()]; ok {
				p.Tasks[i].EventIDs = appendEvent(p.Tasks[i].EventIDs, img.EventID)
				continue
			}
			if s.MaxImages > 0 && len(p.Tasks) >= s.MaxImages {
				p.Problems = append(p.Problems, Problem{Image: img, Code: "TooManyImages",
					Message: fmt.Sprintf("more than %d images in one invocation (%s)", s.MaxImages, config.EnvMaxImages)})
				continue
			}
			index[t.Key()] = len(p.Tasks)
			p.Tasks = append(p.Tasks, t)
		}
	}
	return p
}

func task(img trigger.Image, s Settings) (Task, *Problem) {
	t := Task{ImageID: img.ImageID, VersionID: img.VersionID, ProductType: img.ProductType,
		SourceRegion: img.SourceRegion, EventIDs: appendEvent(nil, img.EventID)}
	if t.ProductType == "" {
		t.ProductType = s.ProductType
	}
	wanted := img.Destinations
	if len(wanted) > 0 {
		for _, r := range wanted {
			if !s.Regions.Allows(r) {
				return Task{}, &Problem{Image: img, Code: "RegionNotAllowed", Region: r,
					Message: fmt.Sprintf("destination region %s is not in %s", r, config.EnvAllowedRegions)}
			}
		}
	} else if r, ok := s.Regions.BySource[t.SourceRegion]; ok {
		wanted = r
	} else if r, ok := s.Regions.ByProduct[t.ProductType]; ok {
		wanted = r
	} else {
		wanted = s.Regions.Default
	}
	for _, r := range wanted {
		if r != t.SourceRegion && !slices.Contains(t.Regions, r) {
			t.Regions = append(t.Regions, r)
		}
	}
	return t, nil
}

func appendEvent(ids []string, id string) []string {
	if id == "" || slices.Contains(ids, id) {
		return ids
	}
	return append(ids, id)
}
