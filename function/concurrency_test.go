package main_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/image-distributor/image-distributor/internal/fctest"
	"github.com/image-distributor/image-distributor/internal/sandbox"
)

// TestBurstOfConcurrentInvocations fires 200 invocations at once at one
// instance, as FC runs one instance with high concurrency: 150 distinct
// images and 50 duplicates of them. Under go test -race (CI) the function
// is a race-detector build as well; a plain go test needs no C compiler.
// go1 serves one request per instance, but nothing in the handler may
// rely on that for its safety.
func TestBurstOfConcurrentInvocations(t *testing.T) {
	bin := binary
	if raceEnabled {
		if testing.Short() {
			t.Skip("builds a second, race-enabled binary")
		}
		bin = filepath.Join(t.TempDir(), "main-race")
		build := exec.Command("go", "build", "-race", "-o", bin, ".")
		build.Env = append(os.Environ(), "CGO_ENABLED=1")
		if out, err := build.CombinedOutput(); err != nil {
			t.Fatalf("go build -race: %v\n%s", err, out)
		}
	}
	sb := startWith(t, sandbox.Options{Binary: bin, Env: map[string]string{"API_QPS": "100", "GORACE": "halt_on_error=1"}})

	const distinct, total = 150, 200
	results := make([]fctest.Result, total)
	var wg sync.WaitGroup
	for i := range total {
		wg.Go(func() {
			ev, _ := json.Marshal(map[string]any{"specversion": "1.0", "id": fmt.Sprint(i), "source": "burst", "type": "t",
				"data": map[string]string{"imageId": fmt.Sprintf("imgc-burst%d", i%distinct), "regionId": "cn-shanghai"}})
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			res, err := sb.Invoke(ctx, ev)
			if err != nil {
				t.Errorf("invocation %d: %v", i, err)
			}
			results[i] = res
		})
	}
	wg.Wait()
	if started := countStarted(t, results, sb.Logs); started != distinct {
		t.Errorf("%d images started, want %d", started, distinct)
	}
	// Each delivery looks first with one ListImage, not counted here. A
	// duplicate that races the first delivery calls too; the stand-in
	// refuses it whole, and it asks for each of its 3 regions on its own.
	if n, most := len(distributeCalls(sb)), distinct+(total-distinct)*(1+3); n > most || n < distinct {
		t.Errorf("API calls = %d, want between %d and %d", n, distinct, most)
	}
	if strings.Contains(sb.Logs.String(), "DATA RACE") {
		t.Fatalf("the race detector fired:\n%s", sb.Logs.String())
	}
}
