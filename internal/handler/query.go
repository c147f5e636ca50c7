package handler

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/rs/zerolog"

	"github.com/image-distributor/image-distributor/internal/appstream"
	"github.com/image-distributor/image-distributor/internal/plan"
	"github.com/image-distributor/image-distributor/internal/sweep"
	"github.com/image-distributor/image-distributor/internal/trigger"
)

// serveQuery answers a status query (an HTTP GET): where one image is, or
// where every image the sweep manages is. It only reads ListImage, and
// reads it through the same reconcile code as the sweep, so it says what
// the sweep would see; it never starts a copy. It logs one status-query
// line: a query is not a distribution and is not counted as one.
func (h *Handler) serveQuery(ctx context.Context, inv invocation, log zerolog.Logger, start time.Time, ip string, q trigger.Image) httpResponse {
	var status int
	var body any
	if q.ImageID != "" {
		status, body = h.queryImage(ctx, inv, q)
	} else {
		status, body = h.queryAll(ctx, inv)
		if all, ok := body.(StatusAll); ok {
			body = fitStatus(log, all)
		}
	}
	ev := log.Info()
	if all, ok := body.(StatusAll); status >= http.StatusBadRequest || (ok && !all.Listing.Complete) {
		ev = log.Warn()
	}
	ev = ev.Str("status", "status-query").Str("source_ip", ip).Int("http_status", status)
	if q.ImageID != "" {
		ev = ev.Str("image_id", q.ImageID)
	}
	switch b := body.(type) {
	case ImageStatus:
		ev = ev.Str("verdict", string(b.Verdict))
	case StatusAll:
		n := map[sweep.Verdict]int{}
		for _, img := range b.Images {
			n[img.Verdict]++
		}
		ev = ev.Int("images", len(b.Images)).Int("complete", n[sweep.VerdictComplete]).
			Int("in_progress", n[sweep.VerdictInProgress]).Int("incomplete", n[sweep.VerdictIncomplete]).
			Bool("listing_complete", b.Listing.Complete).Int("pages_listed", b.Listing.PagesListed).Int("pages_total", b.Listing.PagesTotal).
			Int("images_not_reached", b.Listing.ImagesNotReached)
		if b.Listing.Reason != "" {
			ev = ev.Str("listing_reason", b.Listing.Reason)
		}
		if e := b.Listing.Error; e != nil {
			ev = ev.Str("error_code", e.Code).Str("error_message", e.Message)
		}
	case httpError:
		ev = ev.Str("error_code", b.Error.Code).Str("error_message", b.Error.Message)
	}
	ev.Int64("duration_ms", h.now().Sub(start).Milliseconds()).Msg("status query answered")
	return reply(status, body)
}

// queryImage makes one ListImage call, filtered on the image, and answers
// where it is. Regions asked for must be allowed, as a distribute
// request's must: the same planner says so, before any call.
func (h *Handler) queryImage(ctx context.Context, inv invocation, q trigger.Image) (int, any) {
	if p := plan.Make([]trigger.Image{q}, h.planSettings()); len(p.Problems) > 0 {
		return http.StatusUnprocessableEntity, httpError{ErrorInfo{Code: p.Problems[0].Code, Message: p.Problems[0].Message}}
	}
	page, err := h.listPage(ctx, inv, appstream.ImageFilter{ImageID: q.ImageID}, 1)
	if err != nil {
		return listFailed(err)
	}
	for _, img := range page.Images {
		if img.ImageID == q.ImageID {
			it := sweep.Reconcile([]appstream.Image{img}, []trigger.Image{q}, h.sweepSettings(), h.now())[0]
			return http.StatusOK, imageStatus(it, false)
		}
	}
	return http.StatusNotFound, httpError{ErrorInfo{Code: "ImageNotFound", Message: "ListImage returns no image " + q.ImageID}}
}

// queryAll answers for every image the sweep manages, with the sweep's own
// listing (page 1, then the rest side by side under API_QPS from where the
// next sweep would start) and its own pass, so each image says what the
// next sweep would do. It stops at the deadline and says what it did not
// list. It moves nothing the sweep remembers.
func (h *Handler) queryAll(ctx context.Context, inv invocation) (int, any) {
	out := StatusAll{Images: []ImageStatus{}}
	if !h.cfg.Sweep.Selects() {
		out.Listing.Complete = true
		out.Message = "the sweep manages no image: " + sweepSelectors + " are unset, so it distributes only the images a timer payload names"
		return http.StatusOK, out
	}
	pass := sweep.NewPass(nil, h.sweepSettings(), h.now())
	first, l, err := h.walk(ctx, inv, h.sweepFilter(nil), h.tick(ctx, h.now()), pass, func(items []sweep.Item) {
		for _, it := range items {
			out.Images = append(out.Images, imageStatus(it, true))
		}
	})
	if err != nil {
		return listFailed(err)
	}
	out.Listing = listingOf(first, l, pass)
	if len(h.cfg.Sweep.Tags) > 0 && pass.Untagged() {
		out.Message = noTagsWarning
	}
	return http.StatusOK, out
}

// listingOf says how much of the listing an answer about every image
// covers and, when not all of it, why. Page counts alone cannot say: a
// listing that shifted while it was read has every page and still misses
// an image, so the distinct images listed are counted against ListImage's
// Count too.
func listingOf(first appstream.Page, l *listing, pass *sweep.Pass) Listing {
	out := Listing{PagesListed: l.listed, PagesTotal: l.total, ImagesNotReached: max(first.Total-pass.Listed(), 0)}
	var why []string
	switch {
	case l.capped:
		why = append(why, fmt.Sprintf("ListImage counts more than %d pages; only the first %d are listed", maxPages, maxPages))
	case l.uncounted:
		why = append(why, "ListImage's Count is less than page 1 holds, so how many pages follow is unknown")
	}
	if l.listed < l.total {
		why = append(why, fmt.Sprintf("%d of %d pages were listed", l.listed, l.total))
	}
	if pass.Shifted() {
		why = append(why, "images were added or removed while the pages were read: an image came back on a second page, so another may have been missed")
	}
	if l.listed == l.total && out.ImagesNotReached > 0 {
		why = append(why, fmt.Sprintf("ListImage counts %d images and the pages held %d", first.Total, pass.Listed()))
	}
	if err := l.firstError(); err != nil {
		info := errorInfo(err)
		out.Error = &info
	}
	out.Complete, out.Reason = len(why) == 0, strings.Join(why, "; ")
	return out
}

// listFailed answers a query whose listing failed: 503 when a later try
// may work (throttling, the deadline), 502 when it cannot, such as a role
// without appstreaming:ListImage.
func listFailed(err error) (int, any) {
	info := errorInfo(err)
	if info.Retryable {
		return http.StatusServiceUnavailable, httpError{info}
	}
	return http.StatusBadGateway, httpError{info}
}

// errorInfo describes a failed listing call.
func errorInfo(err error) ErrorInfo {
	info := ErrorInfo{Code: "InternalError", Message: err.Error()}
	var ae *appstream.Error
	if errors.As(err, &ae) {
		info.Code, info.Retryable = ae.Code, ae.Class != appstream.Permanent
	}
	return info
}
