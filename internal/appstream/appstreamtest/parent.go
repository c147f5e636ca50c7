package appstreamtest

// codeParentMissing is the seed's "The target distribution region of the
// parent image does not exist": a code about one destination region.
const codeParentMissing = "ParentImageRegionDistribute.NotExist"

// SetParentMissing makes regions lack imageID's parent image until
// SetParentPresent, so that a call naming any of them is answered
// ParentImageRegionDistribute.NotExist. Under RepeatedPessimistic the
// whole call is refused, as the project reads RepeatedDistribution
// (inferred: the seed says only that the region lacks the parent); under
// RepeatedOptimistic the other regions start.
func (s *Server) SetParentMissing(imageID string, regions ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.parentMissing == nil {
		s.parentMissing = map[string]bool{}
	}
	for _, r := range regions {
		s.parentMissing[imageID+"|"+r] = true
	}
}

// SetParentPresent undoes SetParentMissing for regions, as distributing
// the parent image there does.
func (s *Server) SetParentPresent(imageID string, regions ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, r := range regions {
		delete(s.parentMissing, imageID+"|"+r)
	}
}

func (s *Server) parentMissingLocked(imageID, region string) bool {
	return s.parentMissing[imageID+"|"+region]
}
