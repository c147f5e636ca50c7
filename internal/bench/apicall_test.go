package bench_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/image-distributor/image-distributor/internal/appstream"
	"github.com/image-distributor/image-distributor/internal/appstream/appstreamtest"
	"github.com/image-distributor/image-distributor/internal/config"
	"github.com/image-distributor/image-distributor/internal/sandbox"
)

// BenchmarkAPICall is one StartTaskForDistributeImage through the real
// client to the stand-in on loopback, both in this process: what an
// invocation spends on its API call when the API itself takes no time.
// Subtracted from BenchmarkInvoke, it leaves the function's own overhead.
func BenchmarkAPICall(b *testing.B) {
	api := appstreamtest.New(appstreamtest.Credential(sandbox.Credentials))
	defer api.Close()
	ep, err := config.ParseEndpoint(api.URL())
	if err != nil {
		b.Fatal(err)
	}
	c := appstream.New(ep)
	creds := config.Credentials{AccessKeyID: sandbox.Credentials.AccessKeyID,
		AccessKeySecret: config.Secret(sandbox.Credentials.AccessKeySecret), SecurityToken: config.Secret(sandbox.Credentials.SecurityToken)}
	ctx, cancel := context.WithTimeout(context.Background(), time.Hour)
	defer cancel()
	lat := make([]time.Duration, 0, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		start := time.Now()
		_, err := c.Distribute(ctx, creds, appstream.Distribution{ImageID: "imgc-call" + strconv.Itoa(i),
			ProductType: "CloudApp", SourceRegion: "cn-shanghai", Regions: []string{"cn-hangzhou", "cn-beijing"}})
		lat = append(lat, time.Since(start))
		if err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	reportLatency(b, lat)
}
