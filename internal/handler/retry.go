package handler

import (
	"context"
	"errors"
	"math/rand/v2"
	"time"

	"github.com/image-distributor/image-distributor/internal/appstream"
)

// backoff is capped exponential backoff with full jitter: attempt n waits a
// random time in [0, min(Max, Base·2ⁿ⁻¹)), which spreads a burst of
// throttled callers instead of retrying them in lockstep.
type backoff struct {
	Base, Max time.Duration
	// MinCall is the least time worth starting an attempt with.
	MinCall time.Duration
}

var defaultBackoff = backoff{Base: 200 * time.Millisecond, Max: 5 * time.Second, MinCall: 500 * time.Millisecond}

func (b backoff) delay(attempt int) time.Duration {
	ceiling := min(b.Max, b.Base<<min(attempt-1, 20))
	return rand.N(ceiling) + 1
}

// withRetry makes one API call until it succeeds, fails in a way a retry
// cannot fix, runs out of attempts, or would overrun the deadline. Every
// attempt, retries included, waits for the instance's rate limiter, so a
// throttling storm cannot multiply calls: at most MaxAttempts per call, at
// most API_QPS per second per instance. It returns the attempts made.
func (h *Handler) withRetry(ctx context.Context, call func(context.Context) error) (int, error) {
	var lastErr error
	for attempt := 1; ; attempt++ {
		if err := h.limiter.Wait(ctx); err != nil {
			return attempt - 1, orDeadline(lastErr)
		}
		err := call(ctx)
		if err == nil {
			return attempt, nil
		}
		lastErr = err
		var ae *appstream.Error
		if !errors.As(err, &ae) || ae.Class != appstream.Retryable || attempt >= h.cfg.MaxAttempts {
			return attempt, err
		}
		wait := h.backoff.delay(attempt)
		if dl, ok := ctx.Deadline(); ok && time.Until(dl) < wait+h.backoff.MinCall {
			return attempt, err
		}
		select {
		case <-ctx.Done():
			return attempt, err
		case <-time.After(wait):
		}
	}
}

// orDeadline reports the last API error, or that no attempt could start.
func orDeadline(last error) error {
	if last != nil {
		return last
	}
	return &appstream.Error{Code: appstream.CodeDeadline, Message: "no time left in the invocation to call the API", Class: appstream.Retryable}
}
