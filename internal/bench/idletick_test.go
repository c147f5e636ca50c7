package bench_test

import (
	"context"
	"fmt"
	"strconv"
	"testing"
	"time"
)

// ticksPerDay is the deployed cron, 0 */5 * * * *: one tick every 5 minutes.
const ticksPerDay = 24 * 60 / 5

// BenchmarkIdleTick is the timer's usual tick: every managed image already
// in every destination region, so the tick lists and starts nothing. The
// stand-in answers after callLatency and throttles beyond the function's
// API_QPS. It reports the calls per tick, the billed duration (median) and
// that duration over a day of ticks. One warm-up tick, not measured, makes
// the instance's first connection. Each tick is followed by a pause of two
// call slots, so that the next starts with the rate limiter's token back,
// as one 5 minutes later does; ns/op includes the pause.
func BenchmarkIdleTick(b *testing.B) {
	fn, _ := binaries(b)
	for _, tc := range []struct{ images, qps int }{{100, 5}, {1000, 5}, {1000, 20}, {1000, 100}} {
		b.Run(fmt.Sprintf("images=%d/qps=%d", tc.images, tc.qps), func(b *testing.B) {
			sb, _ := startManaged(b, fn, tc.images, map[string]string{"API_QPS": strconv.Itoa(tc.qps)})
			defer sb.Close()
			sb.API.SetQPSLimit(float64(tc.qps))
			tick := func() time.Duration {
				res, err := sb.Invoke(context.Background(), []byte(emptyTick))
				if err != nil || res.Error != nil {
					b.Fatalf("tick: %v %+v\n%s", err, res.Error, sb.Logs)
				}
				if n := countStatus(b, res.Payload, "complete"); n != tc.images {
					b.Fatalf("tick reported %d images complete, want %d", n, tc.images)
				}
				return res.Duration
			}
			tick()
			before := len(sb.API.Calls())
			billed := make([]time.Duration, 0, b.N)
			b.ResetTimer()
			pause := 2 * time.Second / time.Duration(tc.qps)
			for range b.N {
				time.Sleep(pause)
				billed = append(billed, tick())
			}
			b.StopTimer()
			lists, starts := 0, 0
			for _, c := range sb.API.Calls()[before:] {
				switch c.Action {
				case "ListImage":
					lists++
				case "StartTaskForDistributeImage":
					starts++
				}
			}
			p50 := percentile(billed, 50)
			b.ReportMetric(float64(lists)/float64(b.N), "list-calls/tick")
			b.ReportMetric(float64(starts)/float64(b.N), "starts/tick")
			b.ReportMetric(millis(p50), "tick-ms")
			b.ReportMetric(ticksPerDay*p50.Seconds(), "fc-s/day")
			if n := sb.API.Throttled(); n > 0 {
				b.Errorf("the stand-in throttled %d calls: the function outran API_QPS", n)
			}
		})
	}
}
