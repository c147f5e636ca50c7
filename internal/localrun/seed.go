package main

import (
	"strings"
	"time"

	"github.com/image-distributor/image-distributor/internal/appstream/appstreamtest"
	"github.com/image-distributor/image-distributor/internal/trigger"
)

// The stand-in's copies take copyTime, so a status query made after a
// distribution shows them under way; a seeded copy under way is
// copyElapsed into one.
const (
	copyTime    = 10 * time.Minute
	copyElapsed = 4 * time.Minute // 40%
)

// homeRegion is where the catalogued images were built.
const homeRegion = "cn-shanghai"

// demoImages are catalogued for a status query about every managed image,
// one per verdict and next-sweep action. Each entry's states apply to the
// destination regions in order; the last one repeats.
var demoImages = []struct {
	id, status string
	states     []string
}{
	{"imgc-localdone1", "AVAILABLE", []string{"done"}},
	{"imgc-localcopy1", "AVAILABLE", []string{"done", "copying"}},
	{"imgc-localfail1", "AVAILABLE", []string{"failed", "done"}},
	{"imgc-localnew1", "AVAILABLE", []string{"missing"}},
	{"imgc-localbuild1", "CREATING", []string{"missing"}},
}

// demoNames lists demoImages for -h.
func demoNames() string {
	var names []string
	for _, d := range demoImages {
		name := d.id
		if d.status != "AVAILABLE" {
			name += " (" + d.status + ")"
		}
		names = append(names, name)
	}
	return strings.Join(names, ", ")
}

// seedStates is what a status query about one image finds in its
// destination regions, in turn: one region in each state.
var seedStates = []string{"done", "copying", "failed", "missing"}

// catalogue puts every image the event names into the stand-in's
// ListImage catalogue, built a day ago in homeRegion, so that a timer
// sample has something to sweep and a status query something to show. An
// image already there is left alone: replacing it would forget the copies
// already started. regions are the function's DESTINATION_REGIONS.
//
// A status query about one image finds it with a copy in each state in
// turn across its destination regions (the query's, else regions): done,
// copying at 40%, failed, missing. A status query about every managed
// image finds demoImages too.
func catalogue(api *appstreamtest.Server, seen map[string]bool, raw []byte, regions []string) {
	req, _ := trigger.Decode(raw) // the function reports a bad event itself
	images := req.Images
	var query *trigger.HTTPRequest
	if req.HTTP != nil {
		if r, err := trigger.ParseHTTP(req.HTTP); err == nil && r.Query {
			query = &r
			images = []trigger.Image{r.Image}
		}
	}
	add := func(id, productType, versionID, home, status string) bool {
		if id == "" || seen[id] {
			return false
		}
		seen[id] = true
		api.AddImage(appstreamtest.Image{ImageID: id, ImageName: "local-" + id, ProductType: productType, VersionID: versionID,
			Status: status, HomeRegion: home, Created: time.Now().Add(-24 * time.Hour)})
		return true
	}
	for _, img := range images {
		home := img.SourceRegion
		if home == "" {
			home = homeRegion
		}
		if !add(img.ImageID, img.ProductType, img.VersionID, home, "") || query == nil {
			continue
		}
		if len(img.Destinations) > 0 {
			regions = img.Destinations
		}
		seed(api, img.ImageID, regions, seedStates)
	}
	if query != nil && query.Image.ImageID == "" {
		for _, d := range demoImages {
			if add(d.id, "", "", homeRegion, d.status) {
				seed(api, d.id, regions, d.states)
			}
		}
	}
}

// seed gives imageID a copy in each of regions, in states, the last state
// repeating.
func seed(api *appstreamtest.Server, imageID string, regions, states []string) {
	for i, r := range regions {
		switch states[min(i, len(states)-1)] {
		case "done":
			api.MarkDistributed(imageID, r)
		case "copying":
			api.MarkCopying(imageID, copyElapsed, copyTime, r)
		case "failed":
			api.MarkCopying(imageID, copyElapsed, copyTime, r)
			api.MarkFailed(imageID, r)
		}
	}
}

// destinations reads DESTINATION_REGIONS from the function's environment.
func destinations(env []string) []string {
	var v string
	for _, kv := range env { // the last one wins, as for the process
		if rest, ok := strings.CutPrefix(kv, "DESTINATION_REGIONS="); ok {
			v = rest
		}
	}
	var out []string
	for _, r := range strings.Split(v, ",") {
		if r = strings.TrimSpace(r); r != "" {
			out = append(out, r)
		}
	}
	return out
}
