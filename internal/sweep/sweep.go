// Package sweep compares where managed images should be with where they
// are, and decides, without any I/O, which regions each image still
// needs. Timer invocations run it page by page as ListImage answers, so
// that a missed or early event, or no event at all, is caught up on the
// next tick.
package sweep

import (
	"fmt"
	"path"
	"slices"
	"time"

	"github.com/image-distributor/image-distributor/internal/appstream"
	"github.com/image-distributor/image-distributor/internal/config"
	"github.com/image-distributor/image-distributor/internal/plan"
	"github.com/image-distributor/image-distributor/internal/trigger"
)

// Action is what the sweep decided for one image.
type Action string

// The actions, in the words the result reports them.
const (
	Complete   Action = "complete"    // every desired region has the image
	Start      Action = "start"       // Task lists the regions still missing
	InProgress Action = "in-progress" // copies are under way, nothing is missing
	Deferred   Action = "deferred"    // not ready yet, or too young: a later run handles it
	NotReached Action = "not-reached" // over MAX_IMAGES_PER_INVOCATION, or not listed: the next run continues
	// Blocked is reported as failed: the image cannot be distributed as it
	// is or as configured. (Failed is the State of a failed region copy.)
	Blocked Action = "failed"
	// Backoff: regions need copies, and none is due this tick (Attempts).
	Backoff Action = "backoff"
	// Refuse: the API would refuse the image (encrypted), so it is not asked.
	Refuse Action = "refused"
	// SourceUnknown: DESTINATION_REGIONS_BY_SOURCE is set and the listing
	// does not tell the image's home region.
	SourceUnknown Action = "source-unknown"
)

// Item is the sweep's decision for one managed image.
type Item struct {
	ImageID string
	Action  Action
	Task    plan.Task // the whole desired set, or for Start the missing regions
	// Progress maps each region whose copy is under way to its progress.
	Progress map[string]string
	Code     string // for Deferred, NotReached, Blocked, Backoff, Refuse and SourceUnknown
	Reason   string
	// Attempts has each desired region that is missing or failed, and
	// whether this tick asks for it (Task.Regions lists those it does).
	Attempts []Attempt
	// Coverage is where the image is against where it should be, whatever
	// the action; zero for a payload image the listing lacks.
	Coverage Coverage
	// Listed is the image as the listing showed it; zero for a payload
	// image the listing lacks. The call's answer is read against it: a
	// "not yet" code from an image minutes old is not a refusal.
	Listed appstream.Image
	// Step and Next, for Blocked: the problem stays until a person acts,
	// so it is theirs (error level) only at the image's backoff steps,
	// Step when one falls on this tick; Next is the step after.
	Step bool
	Next time.Time
	// Region, for Blocked: the region the problem is about, if it is one.
	Region string
}

// Settings are what reconciling needs from the configuration.
type Settings struct {
	Plan  plan.Settings
	Sweep config.Sweep
	// Period is the timer's (SWEEP_CRON's period): which tick a time is.
	Period time.Duration
}

// Reconcile decides what each managed image needs. Images are managed when
// the configuration selects them or the timer payload names them; the
// payload's fields (version, destinations) win for the images it names.
// Items come in listing order, then payload images the listing lacks.
func Reconcile(listed []appstream.Image, named []trigger.Image, s Settings, now time.Time) []Item {
	p := NewPass(named, s, now)
	return append(p.Page(listed), p.Unlisted(true)...)
}

// Pass reconciles one sweep's listing a page at a time, so that copies
// start while later pages are still being fetched. Pages may come in any
// order. A Pass is not safe for concurrent use.
type Pass struct {
	s      Settings
	tick   Tick
	window time.Duration // see pointDue; the period until Cycle says more
	named  []trigger.Image
	byID   map[string]trigger.Image
	seen   map[string]bool
	starts int
	// listed and tagged count every distinct image the listing returned,
	// managed or not, and those among them that carry a tag; all holds
	// their IDs. shifted: an image came back on a second page.
	listed, tagged int
	all            map[string]bool
	shifted        bool
}

// NewPass starts a pass for the images named by the payload and those
// the settings select.
func NewPass(named []trigger.Image, s Settings, now time.Time) *Pass {
	p := &Pass{s: s, tick: Tick{At: now, Period: s.Period}, window: s.Period,
		named: named, byID: map[string]trigger.Image{}, seen: map[string]bool{}, all: map[string]bool{}}
	for _, n := range named {
		p.byID[n.ImageID] = n
	}
	return p
}

// Cycle tells the pass that this listing takes cycle ticks to list every
// page (see Cycle), so a schedule point falling since the last tick that
// listed an image's page is due on this one.
func (p *Pass) Cycle(cycle int) { p.window = time.Duration(max(cycle, 1)) * p.s.Period }

// Page decides for the managed images of one page, in page order. An
// image already seen on an earlier page is skipped (the listing shifted
// under the pass, see Shifted), and once
// MAX_IMAGES_PER_INVOCATION images are to be started, the rest that need
// copies are NotReached.
func (p *Pass) Page(images []appstream.Image) []Item {
	var items []Item
	for _, img := range images {
		if p.all[img.ImageID] {
			p.shifted = true
			continue
		}
		p.all[img.ImageID] = true
		p.listed++
		if len(img.Tags) > 0 {
			p.tagged++
		}
		n, isNamed := p.byID[img.ImageID]
		if !(isNamed || selected(img, p.s.Sweep)) { // p.all has passed an image seen before
			continue
		}
		p.seen[img.ImageID] = true
		it := reconcile(img, n, p.s, p.tick, p.window)
		if it.Action == Start {
			if p.starts++; p.s.Plan.MaxImages > 0 && p.starts > p.s.Plan.MaxImages {
				it.Action, it.Code = NotReached, "TooManyImages"
				it.Reason = fmt.Sprintf("more than %d images need copies (%s); the next run continues", p.s.Plan.MaxImages, config.EnvMaxImages)
			}
		}
		items = append(items, it)
	}
	return items
}

// Unlisted reports the payload's images no page has returned: not found
// when the listing was complete, and otherwise not reached, since they may
// be on a page this run did not list. A listing that shifted may have
// missed an image on a page it did list, so it is not complete either.
func (p *Pass) Unlisted(complete bool) []Item {
	var items []Item
	for _, n := range p.named {
		if p.seen[n.ImageID] {
			continue
		}
		p.seen[n.ImageID] = true
		it := Item{ImageID: n.ImageID, Action: NotReached, Code: "ListingIncomplete", Reason: "not on the pages listed in this run; the next run continues"}
		if complete && !p.shifted {
			it.block("ImageNotFound", "ListImage returns no User image with this ID", "", unlistedAnchor, p.tick, p.window)
		}
		items = append(items, it)
	}
	return items
}

// Listed is how many distinct images the pages held, managed or not.
func (p *Pass) Listed() int { return p.listed }

// Shifted reports that an image came back on a second page: images were
// added or removed while the pages were read, so one may have moved onto
// a page already read and been missed.
func (p *Pass) Shifted() bool { return p.shifted }

// Untagged reports that images were listed and none carries a tag. The
// December 2025 response schema has no TagList, so SWEEP_TAGS may then
// select nothing whatever the images' real tags.
func (p *Pass) Untagged() bool { return p.listed > 0 && p.tagged == 0 }

// selected applies the configured selection: the union of the image IDs,
// the name pattern and tags together, and the creation time. User images
// only: shared, system and community images belong to someone else.
func selected(img appstream.Image, s config.Sweep) bool {
	switch {
	case !s.Selects() || (img.ImageType != "" && img.ImageType != "User"):
		return false
	case len(s.ProductTypes) > 0 && !slices.Contains(s.ProductTypes, img.ProductType):
		return false
	case slices.Contains(s.ImageIDs, img.ImageID):
		return true
	case !s.CreatedAfter.IsZero() && !img.Created.IsZero() && !img.Created.Before(s.CreatedAfter):
		// An image whose GmtCreate is absent or unreadable has no known
		// creation time, so this selector alone never takes it.
		return true
	case s.NamePattern == "" && len(s.Tags) == 0:
		return false
	}
	if s.NamePattern != "" {
		if ok, _ := path.Match(s.NamePattern, img.ImageName); !ok {
			return false
		}
	}
	for k, v := range s.Tags {
		if got, ok := img.Tags[k]; !ok || got != v {
			return false
		}
	}
	return true
}
