package bench_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/image-distributor/image-distributor/internal/appstream/appstreamtest"
	"github.com/image-distributor/image-distributor/internal/sandbox"
)

const (
	batchImages  = 1000
	batchLatency = 20 * time.Millisecond
)

// BenchmarkSweepBatch is one timer sweep that must distribute 1,000
// images, against a stand-in that takes 20 ms per call and throttles
// beyond the same QPS the function is configured with. The ideal wall time
// is calls ÷ QPS; utilisation is ideal ÷ actual, where actual is the
// invocation's billed duration (the emulator's /next to answer).
func BenchmarkSweepBatch(b *testing.B) {
	fn, _ := binaries(b)
	for _, qps := range []int{50, 100} {
		b.Run("qps="+strconv.Itoa(qps), func(b *testing.B) {
			var util, wall, ideal []float64
			var throttled int
			for range b.N {
				b.StopTimer()
				sb := startBatch(b, fn, qps)
				b.StartTimer()
				res, err := sb.Invoke(context.Background(), []byte(emptyTick))
				b.StopTimer()
				if err != nil || res.Error != nil {
					sb.Close()
					b.Fatalf("sweep: %v %+v", err, res.Error)
				}
				if n := countStatus(b, res.Payload, "started"); n != batchImages {
					b.Errorf("sweep started %d images, want %d", n, batchImages)
				}
				calls := len(sb.API.Calls())
				idealT := float64(calls) / float64(qps)
				throttled += sb.API.Throttled()
				util = append(util, 100*idealT/res.Duration.Seconds())
				wall, ideal = append(wall, res.Duration.Seconds()), append(ideal, idealT)
				sb.Close()
				b.StartTimer()
			}
			b.ReportMetric(percentile(util, 50), "util-%")
			b.ReportMetric(percentile(wall, 50), "wall-s")
			b.ReportMetric(percentile(ideal, 50), "ideal-s")
			b.ReportMetric(float64(throttled)/float64(b.N), "throttled/op")
			if throttled > 0 {
				b.Errorf("the stand-in throttled %d calls: the function outran API_QPS", throttled)
			}
		})
	}
}

// startBatch starts the function with API_QPS=qps against a stand-in with
// the same limit and 1,000 AVAILABLE images that need every region.
func startBatch(b *testing.B, fn string, qps int) *sandbox.Sandbox {
	b.Helper()
	sb, err := sandbox.Start(sandbox.Options{Binary: fn, Timeout: 10 * time.Minute, Env: map[string]string{
		"LOG_LEVEL": "info", "API_QPS": strconv.Itoa(qps), "SWEEP_NAME_PATTERN": "batch-*", "SWEEP_MIN_AGE": "0s"}})
	if err != nil {
		b.Fatal(err)
	}
	for i := range batchImages {
		sb.API.AddImage(appstreamtest.Image{ImageID: fmt.Sprintf("imgc-batch%04d", i), ImageName: fmt.Sprintf("batch-%04d", i),
			ProductType: "CloudApp", HomeRegion: "cn-shanghai", Created: time.Now().Add(-time.Hour)})
	}
	sb.API.SetLatency(batchLatency)
	sb.API.SetQPSLimit(float64(qps))
	return sb
}

// countStatus counts the results of a sweep whose status is status.
func countStatus(b *testing.B, payload []byte, status string) int {
	b.Helper()
	var r struct {
		Results []struct{ Status string } `json:"results"`
	}
	if err := json.Unmarshal(payload, &r); err != nil {
		b.Fatalf("sweep result: %v", err)
	}
	n := 0
	for _, ir := range r.Results {
		if ir.Status == status {
			n++
		}
	}
	return n
}
