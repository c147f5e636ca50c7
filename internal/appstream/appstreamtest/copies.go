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
	start   time.Time
	dur     time.Duration
	version string // empty: the image's current version
}

// progress returns the copy's status and whole percent at now. The
// duration is fixed when the copy starts, so changing it later never makes
// a copy go backwards.
func (c copyState) progress(now time.Time) (string, int) {
	elapsed := now.Sub(c.start)
	if c.start.IsZero() || c.dur <= 0 || elapsed >= c.dur {
		return statusAvailable, 100
	}
	if pct := int(max(elapsed, 0) * 100 / c.dur); pct > 0 {
		return statusCreating, pct
	}
	return statusInit, 0
}

// startCopiesLocked is the default StartTaskForDistributeImage behaviour.
// It returns the error code to answer, or "" once it has recorded a copy
// started at now in every region. A catalogued image must be AVAILABLE.
// The whole call is refused if any region already has a copy in any state,
// or is the home region: the pessimistic reading of the real API.
func (s *Server) startCopiesLocked(c *Call, now time.Time) string {
	img := s.images[c.ImageID]
	if img != nil && img.Status != statusAvailable {
		return "ImageRegion.NotConfigured"
	}
	have := s.distributed[c.ImageID]
	for _, r := range c.DestinationRegions {
		if _, ok := have[r]; ok || (img != nil && r == img.HomeRegion) {
			return "ImageDistribute.RepeatedDistribution"
		}
	}
	cp := copyState{start: now, dur: s.copyTime, version: c.VersionID}
	if img != nil {
		img.modified = now
	}
	s.markLocked(c.ImageID, c.DestinationRegions, cp)
	return ""
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
