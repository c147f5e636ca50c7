package handler

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/image-distributor/image-distributor/internal/appstream"
	"github.com/image-distributor/image-distributor/internal/config"
)

// catalogueAPI is an in-memory appstream-center whose listing shows the
// copies started through it, so that one tick sees what the last started.
// Hooks make a page slow, failing or panicking, and make calls for pages
// after the first wait for a second one to be in flight.
type catalogueAPI struct {
	mu      sync.Mutex
	images  []appstream.Image
	started []string // image IDs, in call order
	// requested and listed are the pages asked for and those answered.
	requested, listed   []int
	filters             []appstream.ImageFilter
	inFlight, maxFlight int

	count     func(n int) int // non-nil: the Count answered for n images
	delay     time.Duration   // per ListPage answer
	pageErr   map[int]error   // pages that fail
	panicPage int             // a page whose call panics
	overlap   chan struct{}   // non-nil: pages ≥2 wait for another call in flight
	overlapAt sync.Once       // closes overlap

	// room, when cancel is set, is how many pages after page 1 the tick
	// has time for: answering the last of them ends the tick (cancel).
	room   int
	cancel context.CancelFunc
	// calls are the distribute calls, in order. failRegion's copies end
	// CREATE_FAILED; refuse answers every call for an image; perImage
	// answers RepeatedDistribution for a region holding any version.
	calls      []appstream.Distribution
	failRegion string
	refuse     map[string]error
	perImage   bool
	// failCopy and failPage, when set, decide at random which copies end
	// CREATE_FAILED and which page calls fail (the simulated week).
	failCopy func(imageID, region string) bool
	failPage func(page int) error
	// roomOnly spends room without ending the tick: pages past it fail
	// as if the listing had run out of time, and copies still start.
	roomOnly bool
}

// newCatalogue makes n AVAILABLE user images "fin-0"…, built in
// cn-shanghai; the ones done holds are already in every region.
func newCatalogue(n int, done func(i int) bool) *catalogueAPI {
	c := &catalogueAPI{}
	for i := range n {
		img := appstream.Image{ImageID: fmt.Sprintf("imgc-c%05d", i), ImageName: fmt.Sprintf("fin-%d", i), ImageType: "User",
			ProductType: "CloudApp", Status: "AVAILABLE", VersionID: "iv-1", Regions: []string{"cn-shanghai"}}
		if done != nil && done(i) {
			for _, r := range []string{"cn-hangzhou", "cn-beijing"} {
				img.Copies = append(img.Copies, appstream.Copy{RegionID: r, Status: "AVAILABLE", Progress: "100%", VersionID: "iv-1"})
			}
		}
		c.images = append(c.images, img)
	}
	return c
}

func (c *catalogueAPI) ListPage(ctx context.Context, _ config.Credentials, f appstream.ImageFilter, page, size int) (appstream.Page, error) {
	c.mu.Lock()
	c.requested, c.filters = append(c.requested, page), append(c.filters, f)
	c.inFlight++
	c.maxFlight = max(c.maxFlight, c.inFlight)
	if c.overlap != nil && c.inFlight >= 2 {
		c.overlapAt.Do(func() { close(c.overlap) })
	}
	overlap, delay, err := c.overlap, c.delay, c.pageErr[page]
	if c.roomOnly && page >= 2 {
		if c.room--; c.room < 0 {
			err = &appstream.Error{Code: appstream.CodeDeadline, Class: appstream.Retryable}
		}
	}
	if c.failPage != nil && err == nil {
		err = c.failPage(page)
	}
	c.mu.Unlock()
	defer func() {
		c.mu.Lock()
		c.inFlight--
		c.mu.Unlock()
	}()
	if page == c.panicPage {
		panic("catalogueAPI: page panics")
	}
	if overlap != nil && page >= 2 {
		// A listing that fetches one page at a time never gets here twice
		// at once, and each of its pages waits out the timer.
		select {
		case <-overlap:
		case <-time.After(2 * time.Second):
		}
	}
	select {
	case <-time.After(delay):
	case <-ctx.Done():
		return appstream.Page{}, &appstream.Error{Code: appstream.CodeDeadline, Class: appstream.Retryable}
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cancel != nil && page >= 2 {
		if c.room--; c.room == 0 {
			c.cancel() // out of time once this page is answered
		}
	}
	if err != nil {
		return appstream.Page{}, err
	}
	c.listed = append(c.listed, page)
	lo, hi := min((page-1)*size, len(c.images)), min(page*size, len(c.images))
	p := appstream.Page{Total: len(c.images)}
	if c.count != nil {
		p.Total = c.count(len(c.images))
	}
	for _, img := range c.images[lo:hi] {
		img.Copies = slices.Clone(img.Copies)
		p.Images = append(p.Images, img)
	}
	return p, nil
}

func (c *catalogueAPI) Distribute(_ context.Context, _ config.Credentials, d appstream.Distribution) (appstream.Started, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.started = append(c.started, d.ImageID)
	c.calls = append(c.calls, d)
	if err := c.refuse[d.ImageID]; err != nil {
		return appstream.Started{}, err
	}
	for i := range c.images {
		img := &c.images[i]
		if img.ImageID != d.ImageID {
			continue
		}
		for _, r := range d.Regions {
			if c.perImage && slices.ContainsFunc(img.Copies, func(cp appstream.Copy) bool { return cp.RegionID == r }) {
				return appstream.Started{}, &appstream.Error{Code: "ImageDistribute.RepeatedDistribution", Class: appstream.AlreadyDone}
			}
		}
		for _, r := range d.Regions {
			cp := appstream.Copy{RegionID: r, Status: "AVAILABLE", Progress: "100%", VersionID: d.VersionID}
			if r == c.failRegion || (c.failCopy != nil && c.failCopy(d.ImageID, r)) {
				cp.Status, cp.Progress = "CREATE_FAILED", "10%"
			}
			img.Copies = slices.DeleteFunc(img.Copies, func(old appstream.Copy) bool { return old.RegionID == r && old.VersionID == d.VersionID })
			img.Copies = append(img.Copies, cp)
		}
	}
	return appstream.Started{TaskID: fmt.Sprintf("tid-%d", len(c.started)), RequestID: "R"}, nil
}

// snapshot returns what the fake has seen so far, and forgets it.
func (c *catalogueAPI) snapshot() (started []string, requested, listed []int, filters []appstream.ImageFilter) {
	c.mu.Lock()
	defer c.mu.Unlock()
	started, requested, listed, filters = c.started, c.requested, c.listed, c.filters
	c.started, c.requested, c.listed, c.filters = nil, nil, nil, nil
	return started, requested, listed, filters
}
