package bench_test

import (
	"context"
	"io"
	"os"
	"testing"
	"time"

	"github.com/image-distributor/image-distributor/internal/appstream/appstreamtest"
	"github.com/image-distributor/image-distributor/internal/fctest"
	"github.com/image-distributor/image-distributor/internal/sandbox"
)

// coldStart execs binary against a fresh runtime and returns the time from
// exec to the first invocation's answer, and the process's peak RSS then.
// A fresh runtime per start keeps a dying process's /next poll from
// swallowing the next process's invocation.
func coldStart(b *testing.B, binary string, env []string, event []byte) (time.Duration, float64) {
	b.Helper()
	rt, err := fctest.NewRuntime(fctest.Options{Timeout: 30 * time.Second, Credentials: sandbox.Credentials})
	if err != nil {
		b.Fatal(err)
	}
	defer rt.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	start := time.Now()
	p, err := fctest.Start(binary, rt, env, io.Discard)
	if err != nil {
		b.Fatal(err)
	}
	defer p.Stop()
	res, err := rt.Invoke(ctx, fctest.Invocation{Event: event})
	took := time.Since(start)
	if err != nil || res.Error != nil {
		b.Fatalf("first invocation: %v %+v", err, res.Error)
	}
	rss, err := peakRSS(p.PID())
	if err != nil {
		b.Fatal(err)
	}
	return took, rss
}

// BenchmarkColdStart interleaves, in every iteration, one cold start of the
// floor, of the function in dry run (no API call) and of the function
// making its one API call to the instant stand-in, so that machine noise
// falls on all three alike. It reports the medians, and the medians of the
// per-iteration ratios, which pair starts made moments apart.
func BenchmarkColdStart(b *testing.B) {
	fn, floor := binaries(b)
	api := appstreamtest.New(appstreamtest.Credential(sandbox.Credentials))
	defer api.Close()
	dryEnv := functionEnv(api.URL(), map[string]string{"DRY_RUN": "true"})
	callEnv := functionEnv(api.URL(), nil)

	var floorT, dryT, callT []time.Duration
	var dryRatio, callRatio, floorRSS, fnRSS []float64
	b.ResetTimer()
	for i := range b.N {
		f, r := coldStart(b, floor, nil, []byte(`{"ping":true}`))
		floorRSS = append(floorRSS, r)
		d, _ := coldStart(b, fn, dryEnv, imageEvent(i))
		c, r := coldStart(b, fn, callEnv, imageEvent(i))
		fnRSS = append(fnRSS, r)
		floorT, dryT, callT = append(floorT, f), append(dryT, d), append(callT, c)
		dryRatio, callRatio = append(dryRatio, float64(d)/float64(f)), append(callRatio, float64(c)/float64(f))
	}
	b.StopTimer()
	b.ReportMetric(millis(percentile(floorT, 50)), "floor-ms")
	b.ReportMetric(millis(percentile(dryT, 50)), "dryrun-ms")
	b.ReportMetric(millis(percentile(callT, 50)), "apicall-ms")
	b.ReportMetric(percentile(dryRatio, 50), "dryrun/floor")
	b.ReportMetric(percentile(callRatio, 50), "apicall/floor")
	b.ReportMetric(percentile(floorRSS, 50), "floor-rss-MiB")
	b.ReportMetric(percentile(fnRSS, 50), "apicall-rss-MiB")
}

// BenchmarkBinarySize reports the stripped sizes of the function and the
// floor, as built for deployment; the loop only stats the files.
func BenchmarkBinarySize(b *testing.B) {
	fn, floor := binaries(b)
	var fs, ls os.FileInfo
	var err error
	for range b.N {
		if fs, err = os.Stat(fn); err == nil {
			ls, err = os.Stat(floor)
		}
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(fs.Size())/(1<<20), "function-MiB")
	b.ReportMetric(float64(ls.Size())/(1<<20), "floor-MiB")
	b.ReportMetric(float64(fs.Size())/float64(ls.Size()), "function/floor")
}
