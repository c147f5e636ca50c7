package appstreamtest

import (
	"math"
	"time"
)

// bucket is a token bucket. It is hand-rolled because this package keeps to
// the standard library, and it is only used under Server.mu.
type bucket struct {
	rate, burst, tokens float64
	last                time.Time
}

// newBucket returns a full bucket for qps, or nil (no limit) when qps <= 0.
func newBucket(qps float64, now time.Time) *bucket {
	if qps <= 0 {
		return nil
	}
	burst := math.Max(1, qps)
	return &bucket{rate: qps, burst: burst, tokens: burst, last: now}
}

// allow takes a token if one is available at now.
func (b *bucket) allow(now time.Time) bool {
	if b == nil {
		return true
	}
	if elapsed := now.Sub(b.last); elapsed > 0 {
		b.tokens = math.Min(b.burst, b.tokens+elapsed.Seconds()*b.rate)
		b.last = now
	}
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}
