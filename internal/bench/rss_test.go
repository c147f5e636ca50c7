package bench_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/image-distributor/image-distributor/internal/sandbox"
)

const concurrentInvocations = 200

// BenchmarkPeakRSS sends 200 concurrent invocations to a fresh instance
// and reads the process's peak RSS (VmHWM) once all are answered. The
// function's 200 each distribute a new image through a stand-in that
// takes 20 ms per call, at the highest API_QPS, so all 200 are in flight
// together for about two seconds; the floor's echo is the baseline.
func BenchmarkPeakRSS(b *testing.B) {
	fn, floor := binaries(b)
	for _, name := range []string{"floor", "function"} {
		b.Run(name, func(b *testing.B) {
			var rss []float64
			for range b.N {
				rss = append(rss, concurrentPeak(b, map[string]string{"floor": floor, "function": fn}[name]))
			}
			b.ReportMetric(percentile(rss, 50), "peak-rss-MiB")
		})
	}
}

func concurrentPeak(b *testing.B, binary string) float64 {
	b.Helper()
	sb, err := sandbox.Start(sandbox.Options{Binary: binary, Timeout: time.Minute,
		Env: map[string]string{"LOG_LEVEL": "info", "API_QPS": "100"}})
	if err != nil {
		b.Fatal(err)
	}
	defer sb.Close()
	sb.API.SetLatency(batchLatency)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var wg sync.WaitGroup
	errs := make(chan error, concurrentInvocations)
	for i := range concurrentInvocations {
		wg.Go(func() {
			res, err := sb.Invoke(ctx, imageEvent(i))
			if err == nil && res.Error != nil {
				err = fmt.Errorf("%s: %s", res.Error.ErrorType, res.Error.ErrorMessage)
			}
			if err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		b.Fatalf("invoke %s: %v\n%s", binary, err, sb.Logs)
	}
	mib, err := peakRSS(sb.Proc.PID())
	if err != nil {
		b.Fatal(err)
	}
	return mib
}
