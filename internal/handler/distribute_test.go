package handler

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/image-distributor/image-distributor/internal/appstream"
)

// holder is a stateful answer: it keeps each image's copies and, like the
// stand-in, refuses a whole call with RepeatedDistribution when any region
// it names already has one (the pessimistic reading of the API).
type holder struct {
	mu     sync.Mutex
	have   map[string]map[string]string // image → region → task ID
	starts map[string]int               // image|region → copies started
}

func newHolder() *holder {
	return &holder{have: map[string]map[string]string{}, starts: map[string]int{}}
}

func (c *holder) answer(n int32, d appstream.Distribution) (appstream.Started, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, r := range d.Regions {
		if _, ok := c.have[d.ImageID][r]; ok {
			return appstream.Started{}, apiErr("ImageDistribute.RepeatedDistribution")
		}
	}
	if c.have[d.ImageID] == nil {
		c.have[d.ImageID] = map[string]string{}
	}
	s, _ := ok(n, d)
	for _, r := range d.Regions {
		c.have[d.ImageID][r] = s.TaskID
		c.starts[d.ImageID+"|"+r]++
	}
	return s, nil
}

// batch is an EventBridge array with one event per image.
func batch(ids ...string) []byte {
	var evs []string
	for _, id := range ids {
		evs = append(evs, fmt.Sprintf(`{"specversion":"1.0","id":"e-%s","source":"s","type":"t","data":{"imageId":"%s","regionId":"cn-shanghai"}}`, id, id))
	}
	return []byte("[" + strings.Join(evs, ",") + "]")
}

// imageLines returns each image's log line, by image ID.
func imageLines(t *testing.T, logs *bytes.Buffer) map[string]map[string]any {
	t.Helper()
	out := map[string]map[string]any{}
	for _, line := range strings.Split(strings.TrimSpace(logs.String()), "\n") {
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("log line %q: %v", line, err)
		}
		if id, ok := m["image_id"].(string); ok {
			out[id] = m
		}
	}
	return out
}

// A panic in one call must leave nothing that makes a later delivery of the
// same image wait, and must be retryable so that FC redelivers.
func TestPanicReleasesTheImage(t *testing.T) {
	api := &fakeAPI{answer: func(n int32, d appstream.Distribution) (appstream.Started, error) {
		if n == 1 {
			panic("bug")
		}
		return ok(n, d)
	}}
	h, _ := newTestHandler(t, api, nil)
	if _, err := h.Handle(context.Background(), []byte(event)); typeName(err) != "RetryableFailure" {
		t.Fatalf("first delivery: Handle() error = %v, want RetryableFailure so FC redelivers", err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	type answer struct {
		out any
		err error
	}
	done := make(chan answer, 1)
	go func() {
		out, err := h.Handle(ctx, []byte(event))
		done <- answer{out, err}
	}()
	select {
	case a := <-done:
		if a.err != nil || a.out.(Result).Results[0].Status != StatusStarted {
			t.Errorf("second delivery = %+v, %v; want started", a.out, a.err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("second delivery still waiting long after its own deadline: the panic left the image in flight")
	}
	if n := api.calls.Load(); n != 2 {
		t.Errorf("API calls = %d, want 2: the second delivery calls again", n)
	}
}

func TestPanicFailsOnlyItsImage(t *testing.T) {
	var panicked atomic.Bool
	api := &fakeAPI{answer: func(n int32, d appstream.Distribution) (appstream.Started, error) {
		if d.ImageID == "imgc-b" && !panicked.Swap(true) {
			panic("bug")
		}
		return ok(n, d)
	}}
	h, logs := newTestHandler(t, api, nil)
	_, err := h.Handle(context.Background(), batch("imgc-a", "imgc-b", "imgc-c"))
	if typeName(err) != "RetryableFailure" {
		t.Fatalf("Handle() error = %v, want RetryableFailure", err)
	}
	lines := imageLines(t, logs)
	for id, want := range map[string]string{"imgc-a": "started", "imgc-b": "failed", "imgc-c": "started"} {
		if got := lines[id]["status"]; got != want {
			t.Errorf("%s: logged status %v, want %s", id, got, want)
		}
	}
	if b := lines["imgc-b"]; b["error_code"] != "InternalError" || b["retryable"] != true || b["level"] != "warn" {
		t.Errorf("imgc-b logged %v, want a retryable InternalError at warn level", b)
	}
	// At error level, naming the image for the alert to group by.
	if errorLines(logs.String(), `"image_id":"imgc-b","panic":"bug"`) != 1 {
		t.Errorf("the panic was not logged once at error level with imgc-b's ID:\n%s", logs)
	}
}

func TestDuplicatesInSequenceUseTheMemory(t *testing.T) {
	api := &fakeAPI{answer: ok}
	h, _ := newTestHandler(t, api, nil)
	first, err := h.Handle(context.Background(), []byte(event))
	if err != nil {
		t.Fatal(err)
	}
	second, err := h.Handle(context.Background(), []byte(event))
	if err != nil {
		t.Fatal(err)
	}
	if n := api.calls.Load(); n != 1 {
		t.Errorf("API calls = %d, want 1", n)
	}
	r1, r2 := first.(Result).Results[0], second.(Result).Results[0]
	if r2.Status != StatusAlready || r2.TaskID != r1.TaskID || r2.Attempts != 0 {
		t.Errorf("second delivery = %+v, want already-distributed with task %s and no attempt", r2, r1.TaskID)
	}
}

// Concurrent duplicates are not coordinated: each may call, and the API's
// RepeatedDistribution answer keeps them from copying twice.
func TestConcurrentDuplicatesRelyOnTheAPI(t *testing.T) {
	c := newHolder()
	api := &fakeAPI{answer: c.answer}
	h, _ := newTestHandler(t, api, nil)
	var wg sync.WaitGroup
	statuses := make([]Status, 20)
	for i := range statuses {
		wg.Go(func() {
			out, err := h.Handle(context.Background(), []byte(event))
			if err != nil {
				t.Error(err)
				return
			}
			statuses[i] = out.(Result).Results[0].Status
		})
	}
	wg.Wait()
	if n := strings.Count(fmt.Sprint(statuses), string(StatusStarted)); n != 1 {
		t.Errorf("%d deliveries report started, want 1: %v", n, statuses)
	}
	for k, n := range c.starts {
		if n != 1 {
			t.Errorf("%s copied %d times", k, n)
		}
	}
}

// A whole call refused because one region holds a copy must still start
// the other regions, and report each region's own outcome.
func TestRepeatedDistributionStartsTheOtherRegions(t *testing.T) {
	c := newHolder()
	c.have["imgc-abc"] = map[string]string{"cn-beijing": "tid-old"}
	api := &fakeAPI{answer: c.answer}
	h, _ := newTestHandler(t, api, map[string]string{"DESTINATION_REGIONS": "cn-hangzhou,cn-beijing,cn-shenzhen"})
	out, err := h.Handle(context.Background(), []byte(event))
	if err != nil {
		t.Fatal(err)
	}
	got := out.(Result).Results[0]
	want := []RegionResult{
		{Region: "cn-hangzhou", Status: StatusStarted, TaskID: c.have["imgc-abc"]["cn-hangzhou"], APIRequestID: "R"},
		{Region: "cn-beijing", Status: StatusAlready},
		{Region: "cn-shenzhen", Status: StatusStarted, TaskID: c.have["imgc-abc"]["cn-shenzhen"], APIRequestID: "R"},
	}
	if diff := cmp.Diff(want, got.Regions); diff != "" {
		t.Errorf("regions (-want +got):\n%s", diff)
	}
	if got.Status != StatusStarted || got.TaskID != want[0].TaskID || got.Attempts != 4 {
		t.Errorf("image = %s, task %s, %d attempts; want started, %s, 4 (one call, then one per region)", got.Status, got.TaskID, got.Attempts, want[0].TaskID)
	}
}

// A reply lost after the API started the copy: the retry draws a
// RepeatedDistribution for both regions, and each, asked alone, is there.
func TestLostReplyIsAlreadyDistributed(t *testing.T) {
	c := newHolder()
	api := &fakeAPI{answer: func(n int32, d appstream.Distribution) (appstream.Started, error) {
		if _, err := c.answer(n, d); err != nil || n > 1 {
			return appstream.Started{}, err
		}
		return appstream.Started{}, &appstream.Error{Code: appstream.CodeTimeout, Class: appstream.Retryable}
	}}
	h, _ := newTestHandler(t, api, nil)
	out, err := h.Handle(context.Background(), []byte(event))
	if err != nil {
		t.Fatal(err)
	}
	if r := out.(Result).Results[0]; r.Status != StatusAlready || r.Attempts != 4 || len(c.starts) != 2 {
		t.Errorf("result %+v after copies %v; want already-distributed after 4 calls, each region copied once", r, c.starts)
	}
}

// The memory is per region: when no listing answers, a redelivery asks
// only for the region the first delivery could not start.
func TestMemoryIsPerRegion(t *testing.T) {
	var asked [][]string
	var second atomic.Bool
	api := &fakeAPI{listErr: &appstream.Error{Code: "Throttling", Class: appstream.Retryable},
		answer: func(n int32, d appstream.Distribution) (appstream.Started, error) {
			if second.Load() {
				asked = append(asked, d.Regions)
			}
			switch {
			case len(d.Regions) > 1:
				return appstream.Started{}, apiErr("ImageDistribute.RepeatedDistribution")
			case d.Regions[0] == "cn-beijing" && !second.Load():
				return appstream.Started{}, apiErr("InternalError")
			}
			return ok(n, d)
		}}
	h, _ := newTestHandler(t, api, nil)
	if _, err := h.Handle(context.Background(), []byte(event)); typeName(err) != "RetryableFailure" {
		t.Fatalf("first delivery: Handle() error = %v, want RetryableFailure for cn-beijing", err)
	}
	second.Store(true)
	if _, err := h.Handle(context.Background(), []byte(event)); err != nil {
		t.Fatal(err)
	}
	if want := [][]string{{"cn-beijing"}}; !cmp.Equal(asked, want) {
		t.Errorf("redelivery asked for %v, want %v", asked, want)
	}
}

// The sweep acts on what ListImage shows: a failed copy is started again
// even when this instance started it moments ago.
func TestSweepIgnoresTheMemory(t *testing.T) {
	var asked [][]string
	api := &fakeAPI{answer: func(n int32, d appstream.Distribution) (appstream.Started, error) {
		asked = append(asked, d.Regions)
		return ok(n, d)
	}}
	h, _ := newTestHandler(t, api, map[string]string{"DESTINATION_REGIONS": "cn-hangzhou", "SWEEP_IMAGE_IDS": "imgc-abc", "SWEEP_MIN_AGE": "0s"})
	ev := `{"specversion":"1.0","id":"e1","source":"s","type":"t","data":{"imageId":"imgc-abc","versionId":"iv-1","productType":"CloudApp","regionId":"cn-shanghai"}}`
	if _, err := h.Handle(context.Background(), []byte(ev)); err != nil {
		t.Fatal(err)
	}
	api.images = []appstream.Image{{ImageID: "imgc-abc", ImageType: "User", ProductType: "CloudApp", Status: "AVAILABLE",
		VersionID: "iv-1", Regions: []string{"cn-shanghai"},
		Copies: []appstream.Copy{{RegionID: "cn-hangzhou", Status: "CREATE_FAILED", Progress: "40%", VersionID: "iv-1"}}}}
	out, err := h.Handle(context.Background(), []byte(tick))
	if err != nil {
		t.Fatal(err)
	}
	if want := [][]string{{"cn-hangzhou"}, {"cn-hangzhou"}}; !cmp.Equal(asked, want) {
		t.Errorf("calls asked for %v, want %v: the sweep restarts the failed copy", asked, want)
	}
	if r := out.(Result).Results[0]; r.Status != StatusStarted {
		t.Errorf("sweep result = %+v, want started", r)
	}
}
