package appstreamtest

import (
	"encoding/json"
	"fmt"
	"maps"
	"strings"
	"time"
)

// Image and copy states, as ListImage reports them.
const (
	statusAvailable    = "AVAILABLE"
	statusCreating     = "CREATING"
	statusInit         = "INIT"
	statusCreateFailed = "CREATE_FAILED"
)

// Image is an image in the stand-in's catalogue.
type Image struct {
	ImageID, ImageName string
	// ImageType is User (the default when empty), Shared, System or Community.
	ImageType string
	// ProductType is CloudApp, CloudDesktop or WuyingServer.
	ProductType string
	// Status is AVAILABLE (the default when empty), CREATING, INIT or
	// CREATE_FAILED. Only an AVAILABLE image can be distributed.
	Status string
	// VersionID defaults to "iv-" and the part of ImageID after its first "-".
	VersionID string
	// HomeRegion is where the image was built. It is its ImageRegionList and
	// an AVAILABLE 100% entry of its ImageRegionDistributeList, and
	// distributing to it is a repeat.
	HomeRegion string
	Tags       map[string]string
	// Created is GmtCreate; zero means the time AddImage is called.
	Created time.Time
	// Fields, if set, replace fields of the image's ListImage entry as
	// sent (a nil value leaves the field out), to plant what the documents
	// do not promise: another time format, a copy status nobody listed, a
	// value of another type. The catalogue's own state is unchanged.
	Fields map[string]json.RawMessage
}

// entry is a catalogued image and when it last changed (GmtModified).
type entry struct {
	Image
	modified time.Time
}

// AddImage registers img, or replaces the image with its ID. Its region
// copies are kept: they belong to the ID, as on the real service.
func (s *Server) AddImage(img Image) {
	now := time.Now()
	if img.ImageType == "" {
		img.ImageType = "User"
	}
	if img.Status == "" {
		img.Status = statusAvailable
	}
	if img.VersionID == "" {
		_, suffix, _ := strings.Cut(img.ImageID, "-")
		img.VersionID = "iv-" + suffix
	}
	if img.Created.IsZero() {
		img.Created = now
	}
	img.Tags, img.Fields = maps.Clone(img.Tags), maps.Clone(img.Fields)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.images[img.ImageID] = &entry{Image: img, modified: img.Created}
}

// SetImageStatus changes a catalogued image's status, as the image builder
// does when it finishes or fails. It panics for an unknown image, which is
// a mistake in the test.
func (s *Server) SetImageStatus(imageID, status string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e, ok := s.images[imageID]
	if !ok {
		panic(fmt.Sprintf("appstreamtest: SetImageStatus(%q): image not in the catalogue", imageID))
	}
	e.Status, e.modified = status, time.Now()
}

// SetDistributeDuration sets how long copies started from now on take to
// go from INIT 0% to AVAILABLE 100%, linearly. 0 (the default) makes them
// AVAILABLE at once.
func (s *Server) SetDistributeDuration(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.copyTime = d
}

// SetOmitTagList makes ListImage leave TagList out of every image, tagged
// or not, as the December 2025 response schema does (API-NOTES §7): tag
// filters in the request still apply. By default TagList is sent when an
// image has tags, as in the newest SDK model (v5.6.4, August 2026), which
// is the later source; a client that selects by tags must also be tested
// with the schema that has none.
func (s *Server) SetOmitTagList(omit bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.omitTags = omit
}

// SetListError makes the next ListImage call answer r instead of listing.
// Each call queues one answer; r is interpreted as for Script.
func (s *Server) SetListError(r Response) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.listScript = append(s.listScript, r)
}

// ListCalls returns how many ListImage calls passed the gateway checks,
// throttled and scripted ones included, as Calls counts them.
func (s *Server) ListCalls() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, c := range s.calls {
		if c.Action == "ListImage" {
			n++
		}
	}
	return n
}
