package appstreamtest

import (
	"maps"
	"slices"
)

// What a test can hold a client's reports against: every task ID the
// client reports must be one the stand-in issued, and every region it
// reports started or already distributed must be one the stand-in holds.

// IssuedTaskIDs returns every task ID the stand-in issued, in call order,
// including those whose answer was lost or spoiled on the way.
func (s *Server) IssuedTaskIDs() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, c := range s.calls {
		if c.TaskID != "" {
			out = append(out, c.TaskID)
		}
	}
	return out
}

// Holds reports whether region has imageID: a copy that has not failed,
// started by a call or marked with MarkDistributed or MarkCopying, or the
// catalogued image's home region.
func (s *Server) Holds(imageID, region string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.holdsLocked(imageID, region)
}

// Copies returns every image's copy regions (Distributed for each image),
// sorted; home regions are not copies.
func (s *Server) Copies() map[string][]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string][]string, len(s.distributed))
	for id, regions := range s.distributed {
		out[id] = slices.Sorted(maps.Keys(regions))
	}
	return out
}
