package handler

import (
	"context"
	"testing"

	"github.com/image-distributor/image-distributor/internal/appstream"
	"github.com/image-distributor/image-distributor/internal/config"
)

// countsOneMore answers every page with a Count one above what it holds:
// an image removed while the pages were read, with no image coming back
// twice to show it.
type countsOneMore struct{ *fakeAPI }

func (c countsOneMore) ListPage(ctx context.Context, cr config.Credentials, f appstream.ImageFilter, page, size int) (appstream.Page, error) {
	p, err := c.fakeAPI.ListPage(ctx, cr, f, page, size)
	p.Total++
	return p, err
}

// TestSweepTellsAShortListingAsTheStatusQueryDoes: with every page read
// but fewer images than ListImage counts, a payload image the pages lack
// may be the one missed: not-reached, not "not found", as the status
// query would say the listing is incomplete.
func TestSweepTellsAShortListingAsTheStatusQueryDoes(t *testing.T) {
	api := &fakeAPI{answer: ok, images: catalogue(250)}
	h, logs := newTestHandler(t, api, map[string]string{"SWEEP_NAME_PATTERN": "fin-*"})
	h.api = countsOneMore{api}
	ev := `{"triggerTime":"2026-11-29T00:00:00Z","triggerName":"nightly","payload":"{\"images\":[{\"imageId\":\"imgc-elsewhere\"}]}"}`
	out, err := h.Handle(context.Background(), []byte(ev))
	if err != nil {
		t.Fatalf("Handle() error = %v", err)
	}
	for _, r := range out.(Result).Results {
		if r.ImageID == "imgc-elsewhere" && r.Status != StatusNotReached {
			t.Errorf("imgc-elsewhere: %s (%+v), want not-reached: the listing counted an image it did not hold", r.Status, r.Error)
		}
	}
	if len(warnLines(logs.String(), "listing-incomplete")) != 1 {
		t.Errorf("want one listing-incomplete warning:\n%s", logs)
	}
}
