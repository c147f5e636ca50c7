package handler

import "github.com/image-distributor/image-distributor/internal/sweep"

// ImageStatus answers a status query for one image: where it is against
// where it should be.
type ImageStatus struct {
	ImageID string `json:"imageId"`
	// Status is the image's own status as ListImage shows it.
	Status string `json:"status"`
	// VersionID is the version that counts: the one asked for, else the
	// image's.
	VersionID   string `json:"versionId"`
	ProductType string `json:"productType"`
	// SourceRegion is left out when no listed region is known to be it.
	SourceRegion string         `json:"sourceRegion,omitempty"`
	Verdict      sweep.Verdict  `json:"verdict"`
	Regions      []RegionStatus `json:"regions"`
	// NextSweep is what the next sweep would do with the image; only the
	// answer about every managed image has it.
	NextSweep *NextSweep `json:"nextSweep,omitempty"`
}

// RegionStatus is one destination region's state: done, copying (with
// the API's progress), failed or missing.
type RegionStatus struct {
	Region   string      `json:"region"`
	State    sweep.State `json:"state"`
	Progress string      `json:"progress,omitempty"`
}

// NextSweep is the sweep's decision for an image: its action, the regions
// a start would ask for, and why it does nothing when it does nothing.
type NextSweep struct {
	Action  sweep.Action `json:"action"`
	Regions []string     `json:"regions,omitempty"`
	Code    string       `json:"code,omitempty"`
	Reason  string       `json:"reason,omitempty"`
}

// StatusAll answers a status query about every image the sweep manages.
type StatusAll struct {
	Images  []ImageStatus `json:"images"`
	Listing Listing       `json:"listing"`
	// Omitted counts, by verdict, the images left out of Images to keep
	// the answer within FC's limit on a result, complete ones first.
	Omitted map[sweep.Verdict]int `json:"omitted,omitempty"`
	Message string                `json:"message,omitempty"`
}

// Listing says how much of ListImage the answer covers. Complete means
// every image ListImage counts was listed and counted exactly once. The
// images on pages not listed (the deadline, a failed page) or missed
// because images were added or removed while the pages were read are not
// in the answer; ImagesNotReached is what ListImage counts beyond the
// distinct images listed, and Reason says why the listing is not
// complete.
type Listing struct {
	Complete         bool   `json:"complete"`
	PagesListed      int    `json:"pagesListed"`
	PagesTotal       int    `json:"pagesTotal"`
	ImagesNotReached int    `json:"imagesNotReached"`
	Reason           string `json:"reason,omitempty"`
	// Error is a page's failure, when one failed.
	Error *ErrorInfo `json:"error,omitempty"`
}

// imageStatus shows a reconciled image's coverage, with the sweep's
// decision when next is set.
func imageStatus(it sweep.Item, next bool) ImageStatus {
	c := it.Coverage
	s := ImageStatus{ImageID: it.ImageID, Status: c.Status, VersionID: c.VersionID, ProductType: c.ProductType,
		SourceRegion: c.SourceRegion, Verdict: c.Verdict, Regions: make([]RegionStatus, 0, len(c.Destinations))}
	for _, d := range c.Destinations {
		s.Regions = append(s.Regions, RegionStatus{Region: d.Region, State: d.State, Progress: d.Progress})
	}
	if next {
		s.NextSweep = &NextSweep{Action: it.Action, Code: it.Code, Reason: it.Reason}
		if it.Action == sweep.Start {
			s.NextSweep.Regions = it.Task.Regions
		}
	}
	return s
}
