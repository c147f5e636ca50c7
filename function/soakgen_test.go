package main_test

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/image-distributor/image-distributor/internal/appstream/appstreamtest"
	"github.com/image-distributor/image-distributor/internal/sandbox"
)

// The soak's configuration, set explicitly so the expected regions below
// cannot drift from what the function is told.
const (
	soakHome          = "cn-shanghai"
	soakRegions       = "cn-hangzhou,cn-beijing,ap-southeast-1"
	soakDesktop       = "cn-hangzhou,cn-shenzhen"
	soakNewShare      = 0.3  // of the images a delivery names, the share never named before
	soakCreatingShare = 0.04 // of new images, the share still CREATING when first named
	soakHeldShare     = 0.15 // of new images, the share already copied to one region by hand
	soakWindow        = 100  // duplicates come from the images named most recently
)

// soakExplicit are the regions an HTTP caller may name; all are allowed.
var soakExplicit = []string{"cn-hangzhou", "cn-beijing", "cn-shenzhen", "ap-southeast-1"}

// soakImage is one image of the stand-in's catalogue.
type soakImage struct {
	ID, Product string
	// readyAt is the delivery number from which a CREATING image is
	// AVAILABLE; 0 for an image AVAILABLE from the start.
	readyAt int
}

func (img *soakImage) version() string { return "iv-" + img.ID[len("imgc-"):] }

// soakAsk is one image a delivery names, and how.
type soakAsk struct {
	img         *soakImage
	explicit    []string // destinationRegions named, HTTP only
	withVersion bool
	withProduct bool
}

// regions are the destinations the function must plan for the ask.
func (a soakAsk) regions() []string {
	if len(a.explicit) > 0 {
		return a.explicit
	}
	if a.img.Product == "CloudDesktop" {
		return strings.Split(soakDesktop, ",")
	}
	return strings.Split(soakRegions, ",")
}

// delivery is one event as EventBridge (or an HTTP caller) sends it.
type delivery struct {
	n       int
	form    string // single, batch or http
	asks    []soakAsk
	event   []byte
	timeout time.Duration
	// fresh[k] sends redelivery k+1 to a fresh process, as FC may.
	fresh [3]bool
}

// pair is one region of one image.
type pair struct{ image, region string }

// pairs lists every region of every image the delivery asks for.
func (d *delivery) pairs() []pair {
	var out []pair
	for _, a := range d.asks {
		for _, r := range a.regions() {
			if p := (pair{a.img.ID, r}); r != soakHome && !slices.Contains(out, p) {
				out = append(out, p)
			}
		}
	}
	return out
}

// soakGen makes the deliveries from one seed, in order. It is not safe
// for concurrent use.
type soakGen struct {
	rng    *rand.Rand
	api    *appstreamtest.Server
	images []*soakImage
	byID   map[string]*soakImage
	n      int
	http   []byte // the sample HTTP event
}

func newSoakGen(seed uint64, api *appstreamtest.Server) (*soakGen, error) {
	sample, err := sandbox.ReadEvent("http-distribute.json")
	return &soakGen{rng: rand.New(rand.NewPCG(seed, 0x50a4)), api: api, byID: map[string]*soakImage{}, http: sample}, err
}

// next makes delivery n+1: a single CloudEvent, a batch of 1 to 20 (now
// and then naming an image twice), or an HTTP POST.
func (g *soakGen) next() *delivery {
	g.n++
	g.ripen(g.n)
	// Short deadlines leave images not reached, for a redelivery to start.
	d := &delivery{n: g.n, timeout: 8 * time.Second}
	switch x := g.rng.IntN(20); {
	case x < 3:
		d.timeout = 2 * time.Second
	case x < 7:
		d.timeout = 3 * time.Second
	}
	for i := range d.fresh {
		d.fresh[i] = g.rng.IntN(3) == 0
	}
	switch x := g.rng.IntN(10); {
	case x < 3:
		d.form, d.asks = "single", []soakAsk{g.ask(false)}
	case x < 9:
		d.form = "batch"
		for range 1 + g.rng.IntN(20) {
			d.asks = append(d.asks, g.ask(false))
		}
		if len(d.asks) > 1 && g.rng.IntN(5) == 0 {
			dup := d.asks[g.rng.IntN(len(d.asks))]
			dup.withVersion = g.rng.IntN(2) == 0
			d.asks = append(d.asks, dup)
		}
	default:
		d.form, d.asks = "http", []soakAsk{g.ask(true)}
	}
	d.event = g.encode(d)
	return d
}

// ask names an image: a new one, or one named recently.
func (g *soakGen) ask(http bool) soakAsk {
	var img *soakImage
	if len(g.images) == 0 || g.rng.Float64() < soakNewShare {
		img = g.newImage()
	} else {
		img = g.images[len(g.images)-1-g.rng.IntN(min(len(g.images), soakWindow))]
	}
	a := soakAsk{img: img, withVersion: g.rng.IntN(2) == 0,
		withProduct: img.Product != "CloudApp" || g.rng.IntN(2) == 0}
	if http && g.rng.IntN(2) == 0 {
		for _, r := range soakExplicit {
			if g.rng.IntN(2) == 0 {
				a.explicit = append(a.explicit, r)
			}
		}
	}
	return a
}

// newImage catalogues an image, as its build finishes (or is still
// running) just before its event is sent.
func (g *soakGen) newImage() *soakImage {
	img := &soakImage{ID: fmt.Sprintf("imgc-soak%06d", len(g.images)+1), Product: "CloudApp"}
	switch x := g.rng.IntN(10); {
	case x < 2:
		img.Product = "CloudDesktop"
	case x < 3:
		img.Product = "WuyingServer"
	}
	status := ""
	if g.rng.Float64() < soakCreatingShare {
		img.readyAt, status = g.n+5+g.rng.IntN(40), "CREATING"
	}
	g.images = append(g.images, img)
	g.byID[img.ID] = img
	g.api.AddImage(appstreamtest.Image{ImageID: img.ID, ImageName: "soak-" + img.ID, ProductType: img.Product,
		Status: status, HomeRegion: soakHome})
	if g.rng.Float64() < soakHeldShare {
		// A call naming it with other regions is then refused whole under
		// the pessimistic reading.
		regions := soakAsk{img: img}.regions()
		g.api.MarkDistributed(img.ID, regions[g.rng.IntN(len(regions))])
	}
	return img
}

// ripen finishes the builds due by delivery n.
func (g *soakGen) ripen(n int) {
	for _, img := range g.images {
		if img.readyAt > 0 && img.readyAt <= n {
			img.readyAt = 0
			g.api.SetImageStatus(img.ID, "AVAILABLE")
		}
	}
}

// encode renders d in its form. Some batch items are JSON strings, as
// event-streaming deliveries send them.
func (g *soakGen) encode(d *delivery) []byte {
	if d.form == "http" {
		return soakHTTPEvent(g.http, d.asks[0])
	}
	var items []any
	for i, a := range d.asks {
		data := map[string]any{"imageId": a.img.ID, "regionId": soakHome}
		if a.withProduct {
			data["productType"] = a.img.Product
		}
		if a.withVersion {
			data["versionId"] = a.img.version()
		}
		ev := map[string]any{"specversion": "1.0", "id": fmt.Sprintf("d%d-%d", d.n, i), "source": "soak",
			"type": "image:Created", "data": data}
		if d.form == "single" {
			return mustJSON(ev)
		}
		if g.rng.IntN(5) == 0 {
			items = append(items, string(mustJSON(ev)))
			continue
		}
		items = append(items, ev)
	}
	return mustJSON(items)
}

// httpEvent is the sample HTTP event with the body asking for a.
func soakHTTPEvent(sample []byte, a soakAsk) []byte {
	var ev map[string]any
	if err := json.Unmarshal(sample, &ev); err != nil {
		panic(err)
	}
	body := map[string]any{"imageId": a.img.ID, "sourceRegion": soakHome}
	if a.withProduct {
		body["productType"] = a.img.Product
	}
	if a.withVersion {
		body["versionId"] = a.img.version()
	}
	if len(a.explicit) > 0 {
		body["destinationRegions"] = a.explicit
	}
	ev["body"] = string(mustJSON(body))
	return mustJSON(ev)
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}
