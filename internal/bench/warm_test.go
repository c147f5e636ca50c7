package bench_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"strconv"
	"testing"
	"time"

	"github.com/aliyun/fc-runtime-go-sdk/fccontext"
	"github.com/rs/zerolog"

	"github.com/image-distributor/image-distributor/internal/appstream"
	"github.com/image-distributor/image-distributor/internal/config"
	"github.com/image-distributor/image-distributor/internal/handler"
	"github.com/image-distributor/image-distributor/internal/sandbox"
)

// instantAPI answers every call at once from values built in advance, so
// the benchmark measures the handler and nothing of the fake.
type instantAPI struct {
	started appstream.Started
	page    appstream.Page
}

func (a *instantAPI) Distribute(context.Context, config.Credentials, appstream.Distribution) (appstream.Started, error) {
	return a.started, nil
}

func (a *instantAPI) ListPage(_ context.Context, _ config.Credentials, _ appstream.ImageFilter, page, _ int) (appstream.Page, error) {
	if page > 1 {
		return appstream.Page{Total: a.page.Total}, nil
	}
	return a.page, nil
}

// sweepCatalogue is a steady-state sweep: nine images already in every
// destination region and one that still needs its copies.
func sweepCatalogue(regions []string) appstream.Page {
	var p appstream.Page
	for i := range 10 {
		img := appstream.Image{ImageID: "imgc-sweep" + strconv.Itoa(i), ImageName: "bench-" + strconv.Itoa(i),
			ImageType: "User", ProductType: "CloudApp", Status: "AVAILABLE", VersionID: "iv-sweep" + strconv.Itoa(i),
			Regions: []string{"cn-shanghai"}, Created: time.Now().Add(-time.Hour)}
		for _, r := range regions {
			if i == 0 {
				break // image 0 has no copies yet: the one the sweep starts
			}
			img.Copies = append(img.Copies, appstream.Copy{RegionID: r, Status: "AVAILABLE", Progress: "100", VersionID: img.VersionID})
		}
		p.Images = append(p.Images, img)
	}
	p.Total = len(p.Images)
	return p
}

// stamper rewrites, in place, the last digits of every occurrence of an
// image ID in an event, so each invocation names a new image and the
// instance's duplicate cache never stands in for the work.
type stamper struct {
	event []byte
	at    []int // offsets just past each occurrence
}

func newStamper(b *testing.B, event []byte, imageID string) *stamper {
	b.Helper()
	s := &stamper{event: bytes.Clone(event)}
	for off := 0; ; {
		i := bytes.Index(s.event[off:], []byte(imageID))
		if i < 0 {
			break
		}
		off += i + len(imageID)
		s.at = append(s.at, off)
	}
	if len(s.at) == 0 {
		b.Fatalf("event does not name %s", imageID)
	}
	return s
}

// next writes n's last eight decimal digits over the ID's last eight
// characters; it does not allocate.
func (s *stamper) next(n int) []byte {
	for _, end := range s.at {
		v := n
		for j := end - 1; j >= end-8; j-- {
			s.event[j] = byte('0' + v%10)
			v /= 10
		}
	}
	return s.event
}

// kind is a trigger with its sample event and the image ID in it that the
// stamper varies; the timer varies nothing, as a sweep's work comes from
// the listing.
type kind struct{ name, file, imageID string }

var kinds = []kind{
	{"eventbridge", "eventbridge-image-created.json", "imgc-07jyldnd9iab12cd"},
	{"http", "http-distribute.json", "imgc-3e1ap5q8t0uv23wx"},
	{"timer", "", ""},
}

const emptyTick = `{"triggerTime":"2026-11-29T00:00:00Z","triggerName":"nightly","payload":""}`

// BenchmarkHandle is one warm invocation in process: decode, plan, the
// API call to a fake that answers at once, the log lines (encoded, then
// discarded) and the result encoded as the FC SDK does, with json.Marshal.
func BenchmarkHandle(b *testing.B) {
	env := sandbox.DefaultEnv()
	env["LOG_LEVEL"], env["SWEEP_NAME_PATTERN"], env["SWEEP_MIN_AGE"] = "info", "bench-*", "0s"
	cfg, err := config.Load(func(k string) string { return env[k] })
	if err != nil {
		b.Fatal(err)
	}
	// Lifted past the configurable maximum so that the limiter never waits:
	// pacing is not overhead.
	cfg.APIQPS = 1e9
	api := &instantAPI{started: appstream.Started{TaskID: "tid-bench", RequestID: "REQ"}, page: sweepCatalogue(cfg.Regions.Default)}
	c := sandbox.Credentials
	ctx := fccontext.NewContext(context.Background(), &fccontext.FcContext{RequestID: "req-bench",
		Credentials: fccontext.Credentials{AccessKeyId: c.AccessKeyID, AccessKeySecret: c.AccessKeySecret, SecurityToken: c.SecurityToken}})
	ctx, cancel := context.WithTimeout(ctx, time.Hour)
	defer cancel()

	for _, k := range kinds {
		b.Run(k.name, func(b *testing.B) {
			h := handler.New(cfg, api, zerolog.New(io.Discard).With().Timestamp().Logger())
			next := func(int) []byte { return []byte(emptyTick) }
			if k.file != "" {
				raw, err := sandbox.ReadEvent(k.file)
				if err != nil {
					b.Fatal(err)
				}
				next = newStamper(b, raw, k.imageID).next
			}
			lat := make([]time.Duration, 0, b.N)
			b.ReportAllocs()
			b.ResetTimer()
			for i := range b.N {
				start := time.Now()
				out, err := h.Handle(ctx, next(i))
				if err != nil {
					b.Fatal(err)
				}
				if _, err := json.Marshal(out); err != nil {
					b.Fatal(err)
				}
				lat = append(lat, time.Since(start))
			}
			b.StopTimer()
			reportLatency(b, lat)
		})
	}
}
