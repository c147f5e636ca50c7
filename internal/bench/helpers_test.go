package bench_test

import (
	"bufio"
	"cmp"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/image-distributor/image-distributor/internal/fctest"
	"github.com/image-distributor/image-distributor/internal/sandbox"
)

// Binaries are built once per test binary, only when a benchmark asks, so
// `go test ./...` (which runs no benchmark) never pays for the builds.
var (
	buildOnce             sync.Once
	fnBinary, floorBinary string
	buildErr              error
	buildDir              string
)

func TestMain(m *testing.M) {
	code := m.Run()
	if buildDir != "" {
		os.RemoveAll(buildDir)
	}
	os.Exit(code)
}

// binaries returns the function and the floor, both built the way the
// function is deployed (-trimpath -ldflags "-s -w", CGO_ENABLED=0).
func binaries(b *testing.B) (fn, floor string) {
	b.Helper()
	buildOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		if buildDir, buildErr = os.MkdirTemp("", "image-distributor-bench-"); buildErr != nil {
			return
		}
		if fnBinary, buildErr = sandbox.Build(ctx, buildDir); buildErr != nil {
			return
		}
		floorBinary = filepath.Join(buildDir, "floor")
		buildErr = fctest.Build(ctx, "./internal/bench/testdata/floor", floorBinary)
	})
	if buildErr != nil {
		b.Fatal(buildErr)
	}
	return fnBinary, floorBinary
}

// percentile returns the p-th percentile (0–100, nearest rank) of xs.
func percentile[T cmp.Ordered](xs []T, p float64) T {
	var zero T
	if len(xs) == 0 {
		return zero
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	i := int(float64(len(s))*p/100+0.5) - 1
	return s[min(max(i, 0), len(s)-1)]
}

// reportLatency adds p50 and p99, in microseconds, to the benchmark line.
func reportLatency(b *testing.B, ds []time.Duration) {
	b.ReportMetric(micros(percentile(ds, 50)), "p50-us")
	b.ReportMetric(micros(percentile(ds, 99)), "p99-us")
}

func micros(d time.Duration) float64 { return float64(d) / float64(time.Microsecond) }
func millis(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// peakRSS reads VmHWM, the resident set's high-water mark, in MiB.
func peakRSS(pid int) (float64, error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, err := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")))
			return float64(kb) / 1024, err
		}
	}
	return 0, fmt.Errorf("no VmHWM in /proc/%d/status", pid)
}

// functionEnv is the sandbox's environment at production log level, as a
// list for fctest.Start, with overrides.
func functionEnv(endpoint string, overrides map[string]string) []string {
	env := sandbox.DefaultEnv()
	env["LOG_LEVEL"] = "info"
	env["APPSTREAM_ENDPOINT"] = endpoint
	for k, v := range overrides {
		env[k] = v
	}
	var list []string
	for k, v := range env {
		if v != "" {
			list = append(list, k+"="+v)
		}
	}
	return list
}

// imageEvent is an EventBridge event for a distinct image per n, so that
// the instance's duplicate cache never answers instead of the API.
func imageEvent(n int) []byte {
	return fmt.Appendf(nil, `{"specversion":"1.0","id":"bench-%d","source":"bench","type":"image:Created",`+
		`"data":{"imageId":"imgc-bench%012d","productType":"CloudApp","regionId":"cn-shanghai"}}`, n, n)
}

func TestPercentile(t *testing.T) {
	ds := []time.Duration{5, 1, 4, 2, 3, 10, 9, 8, 7, 6}
	for _, tc := range []struct {
		p    float64
		want time.Duration
	}{{50, 5}, {99, 10}, {0, 1}, {10, 1}, {90, 9}} {
		if got := percentile(ds, tc.p); got != tc.want {
			t.Errorf("percentile(%v, %v) = %v, want %v", ds, tc.p, got, tc.want)
		}
	}
}

func TestImageEventIsDistinct(t *testing.T) {
	if a, b := string(imageEvent(1)), string(imageEvent(2)); a == b {
		t.Errorf("imageEvent(1) == imageEvent(2) = %s", a)
	}
}
