package sweep_test

import (
	"testing"
	"time"

	"github.com/image-distributor/image-distributor/internal/appstream"
	"github.com/image-distributor/image-distributor/internal/config"
	"github.com/image-distributor/image-distributor/internal/sweep"
	"github.com/image-distributor/image-distributor/internal/trigger"
)

// A Blocked image is reported on every tick and is a person's only at
// its backoff steps: the steps of its GmtCreate, the whole hours when it
// has none, and midnight UTC for a payload image the listing lacks.
func TestBlockedIsAPersonsAtItsStepsOnly(t *testing.T) {
	start := now.Add(-time.Minute) // the ticks run a minute off the images' own times
	fresh := created(withStatus(image("imgc-a"), "CREATE_FAILED"), -time.Minute-time.Minute)
	old := created(fresh, -3*24*time.Hour-30*time.Minute)
	unknown := created(fresh, 0)
	notAllowed := created(image("imgc-a"), -3*24*time.Hour-30*time.Minute)
	west := []trigger.Image{{ImageID: "imgc-a", Destinations: []string{"us-west-1"}}}
	gone := []trigger.Image{{ImageID: "imgc-gone"}}
	tests := []struct {
		name       string
		listed     []appstream.Image
		named      []trigger.Image
		code       string
		region     string
		day1, day2 int // error-level ticks
	}{
		// 5, 10, 20, 40, 80, 160, 320, 640 and 1280 minutes, then daily.
		{"a new image that failed to build", []appstream.Image{fresh}, nil, "ImageNotAvailable", "", 9, 1},
		{"an old image that failed to build", []appstream.Image{old}, nil, "ImageNotAvailable", "", 1, 1},
		{"no GmtCreate: the whole hours", []appstream.Image{unknown}, nil, "ImageNotAvailable", "", 24, 24},
		{"a payload region not allowed", []appstream.Image{notAllowed}, west, "RegionNotAllowed", "us-west-1", 1, 1},
		{"a payload image not listed: midnight UTC", nil, gone, "ImageNotFound", "", 1, 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := settings(config.Sweep{ImageIDs: []string{"imgc-a"}})
			steps := []int{0, 0}
			for n := range 2 * 288 {
				at := start.Add(time.Duration(n) * 5 * time.Minute)
				items := sweep.Reconcile(tc.listed, tc.named, s, at)
				if len(items) != 1 {
					t.Fatalf("tick %d: Reconcile() = %d items, want 1", n, len(items))
				}
				it := items[0]
				if it.Action != sweep.Blocked || it.Code != tc.code || it.Region != tc.region || !it.NextAttempt().After(at) {
					t.Fatalf("tick %d: %s %s region %q next %s; want blocked, %s, region %q, a step after the tick",
						n, it.Action, it.Code, it.Region, it.NextAttempt(), tc.code, tc.region)
				}
				if it.Step {
					steps[n/288]++
				}
			}
			if steps[0] != tc.day1 || steps[1] != tc.day2 {
				t.Errorf("steps on day 1 %d, day 2 %d; want %d, %d", steps[0], steps[1], tc.day1, tc.day2)
			}
		})
	}
}
