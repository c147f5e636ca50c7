package handler

import (
	"context"
	"errors"
	"time"

	"github.com/rs/zerolog"

	"github.com/image-distributor/image-distributor/internal/appstream"
	"github.com/image-distributor/image-distributor/internal/plan"
)

// precheck lists the images before an invocation of several tasks, so
// that a redelivery, on whichever instance it lands, spends its time and
// its API_QPS budget on what an earlier delivery did not start rather than
// on RepeatedDistribution answers. It reads at most one page more than the
// tasks fill, so a large account costs a few calls; an image it does not
// see is called as before. It is an optimisation, never a gate: it may
// take at most half the time left, and when the listing fails, the tasks
// are distributed with what it read so far.
func (h *Handler) precheck(ctx context.Context, inv invocation, log zerolog.Logger, tasks []plan.Task) map[string]appstream.Image {
	if len(tasks) < 2 || h.cfg.DryRun {
		return nil
	}
	if dl, ok := ctx.Deadline(); ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, time.Until(dl)/2)
		defer cancel()
	}
	wanted := map[string]bool{}
	for _, t := range tasks {
		wanted[t.ImageID] = true
	}
	listed := map[string]appstream.Image{}
	pages := (len(tasks)+pageSize-1)/pageSize + 1
	for page, seen := 1, 0; page <= pages && len(listed) < len(wanted); page++ {
		p, err := h.listPage(ctx, inv, appstream.ImageFilter{}, page)
		if err != nil {
			ev := log.Warn().Int("page", page).Str("error_message", err.Error())
			var ae *appstream.Error
			if errors.As(err, &ae) {
				ev = ev.Str("error_code", ae.Code)
			}
			ev.Msg("cannot list the images before distributing; every image not listed is called for")
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
