package bench_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/image-distributor/image-distributor/internal/appstream/appstreamtest"
	"github.com/image-distributor/image-distributor/internal/sandbox"
)

// e2eQPS is the function's API_QPS in the end-to-end benchmark: the
// highest the configuration allows. Invocations are spaced by 1/e2eQPS so
// the rate limiter never makes one wait: its pacing is not overhead.
const e2eQPS = 100

// BenchmarkInvoke is one warm invocation through the FC runtime emulator
// and the real binary, per trigger kind, with the API stand-in answering
// at once (its own work, signature check included, is in the figure). The
// floor is the same round trip to the bare fc.Start function.
func BenchmarkInvoke(b *testing.B) {
	fn, floor := binaries(b)
	// eventbridge-dryrun is the eventbridge path without its API call:
	// the function's own cost end to end, API latency excluded.
	all := append([]kind{{"floor", "", ""}}, kinds...)
	all = append(all, kind{"eventbridge-dryrun", kinds[0].file, kinds[0].imageID})
	for _, k := range all {
		b.Run(k.name, func(b *testing.B) {
			opts := sandbox.Options{Binary: fn, Timeout: time.Minute, Env: map[string]string{"LOG_LEVEL": "info",
				"API_QPS": strconv.Itoa(e2eQPS), "SWEEP_NAME_PATTERN": "bench-*", "SWEEP_MIN_AGE": "0s"}}
			switch k.name {
			case "floor":
				opts.Binary = floor
			case "eventbridge-dryrun":
				opts.Env["DRY_RUN"] = "true"
			}
			sb, err := sandbox.Start(opts)
			if err != nil {
				b.Fatal(err)
			}
			defer sb.Close()
			next := func(int) []byte { return []byte(emptyTick) }
			switch {
			case k.name == "floor":
				next = func(int) []byte { return []byte(`{"ping":true}`) }
			case k.file != "":
				raw, err := sandbox.ReadEvent(k.file)
				if err != nil {
					b.Fatal(err)
				}
				next = newStamper(b, raw, k.imageID).next
			default:
				addSteadyCatalogue(sb.API, 10)
			}
			// An event or POST makes two calls, the look at the image
			// and the distribute call, so it is paced at two calls' worth.
			gap := time.Second / e2eQPS
			if k.file != "" && k.name != "eventbridge-dryrun" {
				gap *= 2
			}
			ctx := context.Background()
			lat := make([]time.Duration, 0, b.N)
			var last time.Time
			b.ResetTimer()
			for i := range b.N {
				// The floor is paced too, as an idle process wakes more
				// slowly than a busy one. On the clock, or b.N would grow
				// until the sleeps took minutes: ns/op is the pacing.
				time.Sleep(time.Until(last.Add(gap)))
				last = time.Now()
				res, err := sb.Invoke(ctx, next(i))
				lat = append(lat, time.Since(last))
				if err != nil || res.Error != nil {
					b.Fatalf("invoke: %v %+v\n%s", err, res.Error, sb.Logs)
				}
			}
			b.StopTimer()
			reportLatency(b, lat)
			if n := sb.API.Throttled(); n > 0 {
				b.Errorf("stand-in throttled %d calls", n)
			}
		})
	}
}

// addSteadyCatalogue registers n images that the sweep selects, already
// in every default destination region: the usual tick, which lists and
// starts nothing.
func addSteadyCatalogue(api *appstreamtest.Server, n int) {
	regions := []string{"cn-hangzhou", "cn-beijing", "ap-southeast-1"}
	for i := range n {
		id := "imgc-steady" + strconv.Itoa(i)
		api.AddImage(appstreamtest.Image{ImageID: id, ImageName: "bench-steady-" + strconv.Itoa(i), ProductType: "CloudApp",
			HomeRegion: "cn-shanghai", Created: time.Now().Add(-time.Hour)})
		api.MarkDistributed(id, regions...)
	}
}
