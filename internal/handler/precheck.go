package handler

import (
	"context"
	"errors"
	"time"

	"github.com/rs/zerolog"

	"github.com/image-distributor/image-distributor/internal/appstream"
	"github.com/image-distributor/image-distributor/internal/plan"
	"github.com/image-distributor/image-distributor/internal/sweep"
)

// Every event looks at each image before it calls for it, so that an
// image still being built is deferred without a call, a redelivery asks
// only for what an earlier delivery did not start, and a copy the listing
// shows failed is started again. ListImage is free of charge (API-NOTES
// §8), so the only cost is calls of the API_QPS budget; the cheaper of two
// ways is taken. One ListImage filtered on ImageId per image (lookup)
// costs n calls for n images; the paged listing (precheck) costs at most
// n/100+2 pages, fewer than n from three images on, and each image it does
// not show is then looked up. A listing is an optimisation and a source
// of truth, never a gate: when it fails, the image is called for as if
// nothing were known of it.

// minPrecheck is the fewest tasks for which the paged precheck takes
// fewer calls than one lookup per image: 2 pages against 3 lookups.
const minPrecheck = 3

// precheck lists the images before an invocation of several tasks. It
// reads at most one page more than the tasks fill, so a large account
// costs a few calls; an image it does not see is looked up on its own. It
// may take at most half the time left, and when the listing fails, what
// it read so far is used.
func (h *Handler) precheck(ctx context.Context, inv invocation, log zerolog.Logger, tasks []plan.Task) map[string]appstream.Image {
	if len(tasks) < minPrecheck || h.cfg.DryRun {
		return nil
	}
	ctx, cancel := halfOfWhatIsLeft(ctx)
	defer cancel()
	wanted := map[string]bool{}
	for _, t := range tasks {
		wanted[t.ImageID] = true
	}
	listed := map[string]appstream.Image{}
	pages := (len(tasks)+pageSize-1)/pageSize + 1
	for page, seen := 1, 0; page <= pages && len(listed) < len(wanted); page++ {
		p, err := h.listPage(ctx, inv, appstream.ImageFilter{}, page)
		if err != nil {
			lookWarn(log, err).Int("page", page).Msg("cannot list the images before distributing; each image not listed is looked up on its own")
			return listed
		}
		for _, img := range p.Images {
			if wanted[img.ImageID] {
				listed[img.ImageID] = img
			}
		}
		if seen += len(p.Images); len(p.Images) == 0 || seen >= p.Total {
			break
		}
	}
	return listed
}

// lookup reads one image's state with one ListImage filtered on its ID,
// within half the time left. It returns nil when the listing does not
// show the image (just created, or no such image) or fails; the image is
// then called for as if nothing were known of it.
func (h *Handler) lookup(ctx context.Context, inv invocation, log zerolog.Logger, imageID string) *appstream.Image {
	ctx, cancel := halfOfWhatIsLeft(ctx)
	defer cancel()
	p, err := h.listPage(ctx, inv, appstream.ImageFilter{ImageID: imageID}, 1)
	if err != nil {
		lookWarn(log, err).Str("image_id", imageID).Msg("cannot look at the image before distributing; it is called for as if nothing were known of it")
		return nil
	}
	for _, img := range p.Images {
		if img.ImageID == imageID {
			return &img
		}
	}
	return nil
}

// lookWarn starts the warning for a listing before distributing that
// failed.
func lookWarn(log zerolog.Logger, err error) *zerolog.Event { return withError(log.Warn(), err) }

// withError adds a failed call's message, and its API code when it has one.
func withError(ev *zerolog.Event, err error) *zerolog.Event {
	ev = ev.Str("error_message", err.Error())
	var ae *appstream.Error
	if errors.As(err, &ae) {
		ev = ev.Str("error_code", ae.Code)
	}
	return ev
}

// halfOfWhatIsLeft bounds a look before distributing, so that the calls
// it serves keep at least half the time.
func halfOfWhatIsLeft(ctx context.Context) (context.Context, context.CancelFunc) {
	if dl, ok := ctx.Deadline(); ok {
		return context.WithTimeout(ctx, time.Until(dl)/2)
	}
	return ctx, func() {}
}

// youngFor is how long after its creation an AVAILABLE image's "not yet"
// answers (appstream.NotYet) are read as not yet: the service is
// eventually consistent right after an image is built (API-NOTES §5,
// inferred), and half an hour spans FC's and EventBridge's first
// redeliveries. Past it, the answer is what the error table says.
const youngFor = 30 * time.Minute

// young reports whether img, as a listing showed it just before the call,
// is still being built or was created less than youngFor ago. An image no
// listing showed is not known to be young: a mistyped ID must not be
// redelivered for a day.
func young(img *appstream.Image, now time.Time) bool {
	if img == nil {
		return false
	}
	return sweep.NotReady(img.Status) != "" || (!img.Created.IsZero() && now.Sub(img.Created) < youngFor)
}
