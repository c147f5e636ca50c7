package bench_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/image-distributor/image-distributor/internal/appstream/appstreamtest"
)

const (
	// tickPeriod stands in for the deployed 5-minute cron. It must exceed
	// a tick's own run time (about 2 s for 1,000 images at API_QPS 5), as
	// on one instance a late tick would push the next one back.
	tickPeriod = 3 * time.Second
	// phases is how many images turn AVAILABLE per round, one per period,
	// each at a different point of it: (j+½)/phases of the way through.
	phases = 6
	// callLatency is the stand-in's time per call, the slow end of the
	// tens of milliseconds a call from FC to the endpoint in its own region
	// takes (inferred: the real API's latency is not published).
	callLatency = 50 * time.Millisecond
)

// BenchmarkNewImageLatency is the path that needs no event: an image
// created after SWEEP_CREATED_AFTER turns AVAILABLE in the stand-in and the
// timer, invoked every tickPeriod, starts its copy. Nothing else sends the
// function anything. The catalogue holds n images in all: the new ones and
// managed images already in every region, which each tick lists too. The
// stand-in lists newest first, which puts the new images on page 1; the
// real API's order is not documented, so listed-last gives them a creation
// time older than the rest, which puts them on the last page. For each image
// it measures the ticks that began between AVAILABLE and the start call
// (1, or 0 when a tick in flight lists it after the change), the time from
// the start of that tick to the call, and the whole wait.
func BenchmarkNewImageLatency(b *testing.B) {
	fn, _ := binaries(b)
	for _, tc := range []struct {
		name string
		n    int
		last bool
	}{{"images=100", 100, false}, {"images=1000", 1000, false}, {"images=1000/listed-last", 1000, true}} {
		b.Run(tc.name, func(b *testing.B) {
			var all []sample
			var billed []time.Duration
			for range b.N {
				s, ticks := latencyRound(b, fn, tc.n, tc.last)
				all, billed = append(all, s...), append(billed, ticks...)
			}
			var ticks []int
			var inTick, wait []time.Duration
			for _, s := range all {
				ticks, inTick, wait = append(ticks, s.ticks), append(inTick, s.inTick), append(wait, s.wait)
			}
			b.ReportMetric(float64(percentile(ticks, 0)), "ticks-min")
			b.ReportMetric(float64(percentile(ticks, 100)), "ticks-max")
			b.ReportMetric(millis(percentile(inTick, 50)), "in-tick-p50-ms")
			b.ReportMetric(millis(percentile(inTick, 100)), "in-tick-max-ms")
			b.ReportMetric(millis(percentile(wait, 50)), "wait-p50-ms")
			b.ReportMetric(millis(percentile(wait, 100)), "wait-max-ms")
			b.ReportMetric(millis(percentile(billed, 50)), "tick-ms")
		})
	}
}

// latencyRound runs one fresh instance through phases+2 ticks while phases
// new images turn AVAILABLE, one per period, and returns a sample per
// image and the billed duration of every tick. The new images are the
// newest, or with last the oldest, that SWEEP_CREATED_AFTER selects.
func latencyRound(b *testing.B, fn string, n int, last bool) ([]sample, []time.Duration) {
	b.Helper()
	sb, deployed := startManaged(b, fn, n-phases, nil)
	defer sb.Close()
	created := time.Now()
	if last {
		created = deployed.Add(time.Second)
	}
	ids := make([]string, phases)
	for j := range ids {
		ids[j] = fmt.Sprintf("imgc-fresh%02d", j)
		sb.API.AddImage(appstreamtest.Image{ImageID: ids[j], ImageName: "fresh-" + ids[j], ProductType: "CloudApp",
			Status: "CREATING", HomeRegion: "cn-shanghai", Created: created})
	}
	t0 := time.Now()
	done := tickEvery(sb, t0, phases+2)
	flips := make([]time.Time, phases)
	for j := range phases {
		// Period 0 is the instance's first tick; image j turns AVAILABLE
		// in period j+1.
		time.Sleep(time.Until(t0.Add(time.Duration((float64(j+1) + (float64(j)+0.5)/phases) * float64(tickPeriod)))))
		sb.API.SetImageStatus(ids[j], "AVAILABLE")
		flips[j] = time.Now()
	}
	log := <-done
	if log.err != nil {
		b.Fatalf("tick: %v\n%s", log.err, sb.Logs)
	}
	first := map[string]time.Time{}
	for _, c := range sb.API.Calls() {
		if c.Action != "StartTaskForDistributeImage" {
			continue
		}
		if _, seen := first[c.ImageID]; seen || c.Status != 200 {
			b.Errorf("%s: a second or failed start (HTTP %d %s)", c.ImageID, c.Status, c.Code)
			continue
		}
		first[c.ImageID] = c.At
	}
	if len(first) != phases {
		b.Errorf("started %d images, want the %d new ones: %v", len(first), phases, first)
	}
	var out []sample
	for j, id := range ids {
		if at, ok := first[id]; ok {
			out = append(out, sampleOf(flips[j], at, log.starts))
		}
	}
	return out, log.billed
}
