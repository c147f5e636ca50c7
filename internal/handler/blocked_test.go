package handler

import (
	"context"
	"strings"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"github.com/image-distributor/image-distributor/internal/appstream"
)

// What no tick fixes reaches a person once per backoff step, not on every
// tick (issue 16): over a day of ticks on a fake clock, each kind of
// Blocked image and a refused start write error-level lines only at their
// steps, each naming the image (and the region when about one), while the
// result reports every one of them on every tick.
func TestSweepReportsWhatNoTickFixesOncePerStep(t *testing.T) {
	api := newCatalogue(5, nil)
	for i, age := range []time.Duration{0, 3*24*time.Hour - 30*time.Minute, -1, 3*24*time.Hour - 30*time.Minute, 0} {
		if age >= 0 {
			api.images[i].Created = tickTime.Add(-age - time.Minute) // a minute off the ticks
		}
	}
	for i := range 3 {
		api.images[i].Status = "CREATE_FAILED"
	}
	api.refuse = map[string]error{"imgc-c00004": &appstream.Error{Code: "ParentImageRegionDistribute.NotExist", Class: appstream.Permanent}}
	payload := `{"images":[{"imageId":"imgc-c00003","destinationRegions":["us-west-1"]},{"imageId":"imgc-c09999"}]}`
	h, logs := newSweepHandler(t, api, map[string]string{"SWEEP_NAME_PATTERN": "fin-*", "ALLOWED_REGIONS": "cn-hangzhou,cn-beijing,cn-shanghai"})
	h.limiter = rate.NewLimiter(rate.Inf, 1)

	blocked := map[string]string{"imgc-c00000": "ImageNotAvailable", "imgc-c00001": "ImageNotAvailable", "imgc-c00002": "ImageNotAvailable",
		"imgc-c00003": "RegionNotAllowed", "imgc-c09999": "ImageNotFound"}
	for n := range 288 {
		at := tickTime.Add(time.Duration(n) * 5 * time.Minute).Format(time.RFC3339)
		event := `{"triggerTime":"` + at + `","triggerName":"nightly","payload":` + quote(payload) + `}`
		out, err := h.Handle(context.Background(), []byte(event))
		if err != nil {
			t.Fatalf("tick %d: Handle() error = %v", n, err)
		}
		seen := 0
		for _, r := range out.(Result).Results {
			code, ok := blocked[r.ImageID]
			if !ok {
				continue
			}
			seen++
			if (r.Status != StatusFailed || r.Error == nil || r.Error.Code != code || r.NextAttempt == "") && !t.Failed() {
				t.Errorf("tick %d: %s is %s, error %+v, next attempt %q; want failed, %s, a next step", n, r.ImageID, r.Status, r.Error, r.NextAttempt, code)
			}
		}
		if seen != len(blocked) {
			t.Fatalf("tick %d: %d blocked images in the result, want %d", n, seen, len(blocked))
		}
	}

	all := logs.String()
	for _, tc := range []struct {
		image, with string
		want        int
	}{
		// 5, 10, 20, 40, 80, 160, 320, 640 and 1280 minutes from GmtCreate.
		{"imgc-c00000", `"status":"failed"`, 9},
		{"imgc-c00001", `"status":"failed"`, 1},  // its daily step
		{"imgc-c00002", `"status":"failed"`, 24}, // no GmtCreate: the whole hours
		{"imgc-c00003", `"region":"us-west-1"`, 1},
		{"imgc-c09999", `"status":"failed"`, 1},      // midnight UTC
		{"imgc-c00004", `"status":"refused"`, 2 * 9}, // each region, not on the fresh ticks between its steps
	} {
		var got, of int
		for _, line := range strings.Split(all, "\n") {
			if errorLines(line, `"image_id":"`+tc.image+`"`) == 1 {
				got += 1
				if strings.Contains(line, tc.with) {
					of++
				}
			}
		}
		if got != tc.want || of != got {
			t.Errorf("%s: %d error lines in 288 ticks, %d of them with %s; want %d, all", tc.image, got, of, tc.with, tc.want)
		}
	}
	if n, named := errorLines(all, ""), errorLines(all, `"image_id":"imgc-`); n != named {
		t.Errorf("%d error lines, %d of them naming their image; want all", n, named)
	}
	if n := strings.Count(all, `"image_id":"imgc-c00000"`); n < 288 {
		t.Errorf("%d lines about imgc-c00000 in 288 ticks, want at least one a tick", n)
	}
}

// quote makes s a JSON string.
func quote(s string) string { return `"` + strings.ReplaceAll(s, `"`, `\"`) + `"` }

// An event's permanent failure is an error line, once (events are not
// repeated every tick); when it is about one region it names that
// region, which the alert groups on.
func TestEventFailureNamesItsRegion(t *testing.T) {
	refuse := func(int32, appstream.Distribution) (appstream.Started, error) {
		return appstream.Started{}, &appstream.Error{Code: "ParentImageRegionDistribute.NotExist", Class: appstream.Permanent}
	}
	for _, tc := range []struct {
		regions, want string
	}{
		{"cn-hangzhou", "cn-hangzhou"},
		{"cn-hangzhou,cn-beijing", ""}, // about the image: no one region
	} {
		h, logs := newTestHandler(t, &fakeAPI{answer: refuse}, map[string]string{"DESTINATION_REGIONS": tc.regions})
		if _, err := h.Handle(context.Background(), batch("imgc-a")); err != nil {
			t.Fatalf("Handle() error = %v, want none (nothing to redeliver)", err)
		}
		if n := errorLines(logs.String(), `"image_id":"imgc-a"`); n != 1 {
			t.Errorf("DESTINATION_REGIONS %s: %d error lines, want 1", tc.regions, n)
		}
		if got, _ := imageLines(t, logs)["imgc-a"]["region"].(string); got != tc.want {
			t.Errorf("DESTINATION_REGIONS %s: the error line's region is %q, want %q", tc.regions, got, tc.want)
		}
	}
}
