package appstreamtest

import (
	"cmp"
	"fmt"
	"maps"
	"slices"
	"time"
)

// copyState is one region's copy of an image. A zero start means a copy
// that was already there (MarkDistributed): complete whatever the duration.
type copyState struct {
	start time.Time
	dur   time.Duration
	// version is the image version the copy was made of: the one the call
	// named, else the catalogued image's version when the copy started
	// (a call without VersionId uses the latest, API-NOTES §8). Empty
	// only for an image not catalogued then: read as its current version.
	version string
	// failed marks a copy that ended CREATE_FAILED at failedAt percent
	// (MarkFailed).
	failed   bool
	failedAt int
}

// progress returns the copy's status and whole percent at now. The
// duration is fixed when the copy starts, so changing it later never makes
// a copy go backwards.
func (c copyState) progress(now time.Time) (string, int) {
	if c.failed {
		return statusCreateFailed, c.failedAt
	}
	elapsed := now.Sub(c.start)
	if c.start.IsZero() || c.dur <= 0 || elapsed >= c.dur {
		return statusAvailable, 100
	}
	if pct := int(max(elapsed, 0) * 100 / c.dur); pct > 0 {
		return statusCreating, pct
	}
	return statusInit, 0
}

// Repeated is how the stand-in reads a call naming a region that already
// holds the image, or one a per-region code refuses (SetParentMissing). The API documents RepeatedDistribution only as "This
// image has been distributed to this region" (error table); whether it
// refuses a whole multi-region call is open (API-NOTES §5, §6).
type Repeated int

const (
	// RepeatedPessimistic refuses the whole call with RepeatedDistribution
	// when any region holds the image (a copy in any state, or its home
	// region), or with ParentImageRegionDistribute.NotExist when any
	// region lacks the parent image: nothing starts. Inferred; the default.
	RepeatedPessimistic Repeated = iota
	// RepeatedOptimistic starts the regions that hold nothing and answers
	// success; only a call whose every region holds the image is refused.
	// Inferred.
	RepeatedOptimistic
)

// SetRepeated selects the reading of RepeatedDistribution for calls from
// now on.
func (s *Server) SetRepeated(r Repeated) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.repeated = r
}

// startCopiesLocked is the default StartTaskForDistributeImage behaviour.
// It returns the error code to answer, or "" once it has recorded a copy
// started at now in every region that needs one. A catalogued image must
// be AVAILABLE. Regions that hold the image already, or lack its parent
// image, are read as s.repeated says.
func (s *Server) startCopiesLocked(c *Call, now time.Time) string {
	img := s.images[c.ImageID]
	if img != nil && img.Status != statusAvailable {
		return "ImageRegion.NotConfigured"
	}
	var missing []string
	refusal := "ImageDistribute.RepeatedDistribution"
	for _, r := range c.DestinationRegions {
		code := ""
		switch {
		case s.parentMissingLocked(c.ImageID, r):
			code = codeParentMissing
		case s.holdsLocked(c.ImageID, r):
			code = "ImageDistribute.RepeatedDistribution"
		default:
			missing = append(missing, r)
			continue
		}
		if s.repeated == RepeatedPessimistic {
			return code
		}
		refusal = code
	}
	if len(missing) == 0 {
		return refusal
	}
	cp := copyState{start: now, dur: s.copyTime, version: c.VersionID, failed: s.copyFail.drawLocked()}
	if img != nil {
		img.modified = now
	}
	s.markLocked(c.ImageID, missing, cp)
	return ""
}

// holdsLocked reports whether region has imageID: a copy that has not
// failed, or the catalogued image's home region. A failed copy is not
// held, so a new call starts it again (inferred: the API documents no
// answer for a region whose copy failed).
func (s *Server) holdsLocked(imageID, region string) bool {
	if cp, ok := s.distributed[imageID][region]; ok {
		return !cp.failed
	}
	img := s.images[imageID]
	return img != nil && img.HomeRegion == region
}

// copiesLocked lists e's home region then its copies in region order.
func (s *Server) copiesLocked(e *entry, now time.Time) []regionCopy {
	out := []regionCopy{}
	if e.HomeRegion != "" {
		out = append(out, regionCopy{e.ImageID, e.HomeRegion, statusAvailable, "100%", e.VersionID})
	}
	have := s.distributed[e.ImageID]
	for _, r := range slices.Sorted(maps.Keys(have)) {
		if r == e.HomeRegion {
			continue
		}
		cp := have[r]
		status, pct := cp.progress(now)
		version := cmp.Or(cp.version, e.VersionID)
		out = append(out, regionCopy{e.ImageID, r, status, fmt.Sprintf("%d%%", pct), version})
	}
	return out
}
