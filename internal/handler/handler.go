// Package handler runs one invocation: decode the trigger, plan the
// regions, start the distribute tasks with bounded retries inside the
// deadline, log each outcome and answer in the trigger's own terms.
package handler

import (
	"context"
	"fmt"
	"time"

	"github.com/rs/zerolog"
	"golang.org/x/time/rate"

	"github.com/image-distributor/image-distributor/internal/appstream"
	"github.com/image-distributor/image-distributor/internal/config"
	"github.com/image-distributor/image-distributor/internal/plan"
	"github.com/image-distributor/image-distributor/internal/sweep"
	"github.com/image-distributor/image-distributor/internal/trigger"
)

// API is the part of appstream-center the handler uses; *appstream.Client
// is the real one. Each method makes exactly one call: retrying is ours.
type API interface {
	Distribute(ctx context.Context, creds config.Credentials, d appstream.Distribution) (appstream.Started, error)
	ListPage(ctx context.Context, creds config.Credentials, f appstream.ImageFilter, page, size int) (appstream.Page, error)
}

// Handler is shared by every invocation of an instance; FC runs them
// concurrently, so its state is either read-only or guarded.
type Handler struct {
	cfg     config.Config
	api     API
	log     zerolog.Logger
	limiter *rate.Limiter
	recent  *recent
	backoff backoff
	now     func() time.Time
	pages   sweep.PageWatch // since when listing pages have failed, on this instance
}

// New builds a Handler. The rate limiter is per instance, so concurrent
// invocations share one budget of API calls per second. Its burst is one:
// calls are paced evenly, because a burst that drains the API's own bucket
// leaves no headroom for network jitter and gets throttled.
func New(cfg config.Config, api API, log zerolog.Logger) *Handler {
	return &Handler{
		cfg:     cfg,
		api:     api,
		log:     log,
		limiter: rate.NewLimiter(rate.Limit(cfg.APIQPS), 1),
		recent:  newRecent(recentTTL),
		backoff: defaultBackoff,
		now:     time.Now,
	}
}

// replyMargin is kept back from FC's deadline so the answer is posted
// before FC gives up on the invocation.
const replyMargin = 500 * time.Millisecond

// Handle is the function's entry point, called through fc.Start. Event and
// timer invocations return a Result, or an error when an image failed in a
// way a redelivery could fix; HTTP invocations always answer with an HTTP
// response.
func (h *Handler) Handle(ctx context.Context, raw []byte) (out any, err error) {
	start := h.now()
	inv := invocationFrom(ctx, h.cfg.Credentials)
	defer func() {
		if r := recover(); r != nil {
			out, err = nil, h.recovered(inv, r, "")
		}
	}()
	if d, ok := ctx.Deadline(); ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithDeadline(ctx, d.Add(-replyMargin))
		defer cancel()
	}
	log := h.log.With().Str("request_id", inv.RequestID).Logger()

	req, decodeErr := trigger.Decode(raw)
	log = log.With().Str("trigger", kindName(req.Kind)).Logger()
	switch {
	case req.Kind == trigger.KindHTTP:
		return h.serveHTTP(ctx, inv, log, start, req.HTTP), nil
	case req.Kind == trigger.KindTimer:
		// The schedule is the timer's retry, so a sweep fails only when its
		// payload is bad or it could not look at the images at all. A bad
		// payload still lets the configured selection be swept.
		res, err := h.sweep(ctx, inv, log, req.Images, req.TickTime)
		if decodeErr != nil {
			err = decodeErr
		}
		h.summary(log, start, tally(res.Results), 0, err)
		if err != nil {
			return nil, err
		}
		return fitted(log, res), nil
	}
	res := h.run(ctx, inv, log, req.Images, req.Skipped, true)
	c := tally(res.Results)
	h.summary(log, start, c, len(res.Skipped), decodeErr)
	switch {
	case decodeErr != nil:
		return nil, decodeErr
	case c.retry > 0:
		return nil, &RetryableFailure{Failed: c.retry, Total: len(res.Results)}
	}
	return fitted(log, res), nil
}

func kindName(k trigger.Kind) string {
	if k == "" {
		return "unknown"
	}
	return string(k)
}

// RetryableFailure fails an invocation so that the event is delivered
// again: by FC's asynchronous retry, or by EventBridge's own retry when FC
// invokes synchronously (the deploy files set both). A redelivery skips what a listing or this
// instance's memory shows started, and the API answers
// RepeatedDistribution for the rest, so nothing is copied twice.
type RetryableFailure struct{ Failed, Total int }

func (e *RetryableFailure) Error() string {
	return fmt.Sprintf("%d of %d images failed with retryable errors or are not ready yet; a redelivery will retry them", e.Failed, e.Total)
}

// run plans the images and distributes every task, returning results in
// plan order. memory lets recent successes spare a call (see known).
func (h *Handler) run(ctx context.Context, inv invocation, log zerolog.Logger, images []trigger.Image, skipped []trigger.Skip, memory bool) Result {
	p := plan.Make(images, h.planSettings())
	k := known{recent: memory, lookup: true, listed: h.precheck(ctx, inv, log, p.Tasks)}
	res := Result{Results: h.execute(ctx, inv, log, p.Tasks, k), Skipped: append(skipped, p.Skipped...)}
	for _, prob := range p.Problems {
		r := problemResult(prob)
		logOutcome(log, r)
		res.Results = append(res.Results, r)
	}
	for _, s := range res.Skipped {
		log.Info().Str("event_id", s.EventID).Str("status", "skipped").Str("reason", s.Reason).Msg("nothing to distribute")
	}
	return res
}

func (h *Handler) planSettings() plan.Settings {
	return plan.Settings{Regions: h.cfg.Regions, ProductType: h.cfg.ProductType, MaxImages: h.cfg.MaxImages}
}
