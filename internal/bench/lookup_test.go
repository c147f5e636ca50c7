package bench_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/image-distributor/image-distributor/internal/appstream/appstreamtest"
	"github.com/image-distributor/image-distributor/internal/sandbox"
)

// BenchmarkEventLookup is what looking before calling costs an event (issue
// 17): the real binary, one ActionTrail event per op, paced at two calls'
// worth of API_QPS so that the rate limiter never makes one wait. In
// new-image every op names an image the stand-in does not list (a lookup
// that finds nothing, then a distribute call); in redelivery every op
// names the same listed image whose copies are under way (a lookup, and
// no distribute call). calls/op is the API calls per event.
func BenchmarkEventLookup(b *testing.B) {
	fn, _ := binaries(b)
	k := kinds[0]
	raw, err := sandbox.ReadEvent(k.file)
	if err != nil {
		b.Fatal(err)
	}
	for _, name := range []string{"new-image", "redelivery"} {
		b.Run(name, func(b *testing.B) {
			sb, err := sandbox.Start(sandbox.Options{Binary: fn, Timeout: time.Minute,
				Env: map[string]string{"LOG_LEVEL": "info", "API_QPS": strconv.Itoa(e2eQPS)}})
			if err != nil {
				b.Fatal(err)
			}
			defer sb.Close()
			next := newStamper(b, raw, k.imageID).next
			if name == "redelivery" {
				id := k.imageID[:len(k.imageID)-8] + "00000000"
				sb.API.AddImage(appstreamtest.Image{ImageID: id, VersionID: "iv-07jyldnd9iab34ef", ProductType: "CloudDesktop",
					HomeRegion: "cn-shanghai", Created: time.Now().Add(-time.Hour)})
				sb.API.MarkCopying(id, time.Minute, 100*time.Hour, "cn-hangzhou", "cn-beijing", "ap-southeast-1", "cn-shenzhen")
				stamp := next
				next = func(int) []byte { return stamp(0) }
			}
			ctx := context.Background()
			lat := make([]time.Duration, 0, b.N)
			var last time.Time
			b.ResetTimer()
			for i := range b.N {
				time.Sleep(time.Until(last.Add(2 * time.Second / e2eQPS)))
				last = time.Now()
				res, err := sb.Invoke(ctx, next(i+1))
				lat = append(lat, time.Since(last))
				if err != nil || res.Error != nil {
					b.Fatalf("invoke: %v %+v\n%s", err, res.Error, sb.Logs)
				}
			}
			b.StopTimer()
			reportLatency(b, lat)
			b.ReportMetric(float64(len(sb.API.Calls()))/float64(b.N), "calls/op")
		})
	}
}
