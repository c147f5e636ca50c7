package appstreamtest

import "math/rand/v2"

// copyFailures fails a share of the copies started, as copies do on the
// real service for reasons the API does not report (quota, a parent image
// missing in the region): the start answers success with a task ID, and
// ListImage then shows the region CREATE_FAILED. Inferred: the API
// documents no failed-copy status (API-NOTES §1, §7).
type copyFailures struct {
	rate float64
	rng  *rand.Rand
	n    int // copies failed
}

// SetCopyFailures makes each copy started from now on fail at once with
// probability rate, drawn from seed; 0 turns it off.
func (s *Server) SetCopyFailures(rate float64, seed uint64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.copyFail.rate, s.copyFail.rng = rate, rand.New(rand.NewPCG(seed, 0xfa11))
}

// CopiesFailed counts the copies the stand-in failed on purpose.
func (s *Server) CopiesFailed() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.copyFail.n
}

func (f *copyFailures) drawLocked() bool {
	if f.rate > 0 && f.rng.Float64() < f.rate {
		f.n++
		return true
	}
	return false
}
