package main_test

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/image-distributor/image-distributor/internal/sandbox"
)

// TestRedeliveriesToFreshInstancesMakeProgress: one event of 50 images
// against a slow API and a short deadline cannot be done in one delivery.
// FC redelivers it (up to 3 retries), each time to a new instance with no
// memory of the last. Each redelivery must start what the earlier ones did
// not, and spend no call on what they started.
func TestRedeliveriesToFreshInstancesMakeProgress(t *testing.T) {
	sb := startWith(t, sandbox.Options{Timeout: 3 * time.Second,
		Env: map[string]string{"API_QPS": "10", "MAX_CONCURRENCY": "8"}})
	sb.API.SetLatency(400 * time.Millisecond)
	var evs []map[string]any
	for i := range 50 {
		id := fmt.Sprintf("imgc-redeliver%02d", i)
		sb.API.AddImage(catalogued(id, "AVAILABLE"))
		evs = append(evs, map[string]any{"specversion": "1.0", "id": id, "source": "s", "type": "t",
			"data": map[string]string{"imageId": id, "regionId": "cn-shanghai"}})
	}
	ev, _ := json.Marshal(evs)

	startedIn := map[string]int{} // image → the delivery that started it
	for delivery := 1; delivery <= 4 && len(startedIn) < 50; delivery++ {
		if delivery > 1 {
			if err := sb.Restart(); err != nil {
				t.Fatal(err)
			}
		}
		before := len(distributeCalls(sb))
		res := invoke(t, sb, ev)
		calls := distributeCalls(sb)[before:]
		for _, c := range calls {
			if d, ok := startedIn[c.ImageID]; ok {
				t.Errorf("delivery %d called for %s, which delivery %d started", delivery, c.ImageID, d)
			}
		}
		for _, c := range calls {
			if _, ok := startedIn[c.ImageID]; !ok && c.TaskID != "" {
				startedIn[c.ImageID] = delivery
			}
		}
		t.Logf("delivery %d: %d distribute calls, %d images started so far, error %+v", delivery, len(calls), len(startedIn), res.Error)
	}
	if len(startedIn) != 50 {
		t.Errorf("%d of 50 images started after 4 deliveries", len(startedIn))
	}
}
