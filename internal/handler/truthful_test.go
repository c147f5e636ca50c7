package handler

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/image-distributor/image-distributor/internal/appstream"
)

// asker records every distribute call's regions and answers with f.
type asker struct {
	mu    sync.Mutex
	asked [][]string
	f     func(n int32, d appstream.Distribution) (appstream.Started, error)
}

func (a *asker) answer(n int32, d appstream.Distribution) (appstream.Started, error) {
	a.mu.Lock()
	a.asked = append(a.asked, d.Regions)
	a.mu.Unlock()
	return a.f(n, d)
}

func (a *asker) take() [][]string {
	a.mu.Lock()
	defer a.mu.Unlock()
	out := a.asked
	a.asked = nil
	return out
}

// shows is imgc-abc as a listing shows it, with the copies given.
func shows(id string, created time.Time, copies ...appstream.Copy) []appstream.Image {
	return []appstream.Image{{ImageID: id, ImageType: "User", ProductType: "CloudApp", Status: "AVAILABLE",
		VersionID: "iv-1", Regions: []string{"cn-shanghai"}, Copies: copies, Created: created}}
}

func post(body string) []byte {
	ev, _ := json.Marshal(map[string]any{"body": body, "requestContext": map[string]any{"http": map[string]string{"method": "POST"}}})
	return ev
}

// Item 1: a copy the listing shows failed is called for again, even when
// this instance's memory says it started it minutes ago.
func TestListedFailureOutranksTheMemory(t *testing.T) {
	a := &asker{f: ok}
	api := &fakeAPI{answer: a.answer}
	h, _ := newTestHandler(t, api, nil)
	if _, err := h.Handle(context.Background(), batch("imgc-a", "imgc-b")); err != nil {
		t.Fatal(err)
	}
	a.take()
	old := time.Now().Add(-time.Hour)
	api.images = append(shows("imgc-a", old, cp("cn-hangzhou", "CREATE_FAILED", "iv-1"), cp("cn-beijing", "AVAILABLE", "iv-1")),
		shows("imgc-b", old, cp("cn-hangzhou", "AVAILABLE", "iv-1"), cp("cn-beijing", "AVAILABLE", "iv-1"))...)
	out, err := h.Handle(context.Background(), batch("imgc-a", "imgc-b"))
	if err != nil {
		t.Fatal(err)
	}
	if want := [][]string{{"cn-hangzhou"}}; !cmp.Equal(a.take(), want) {
		t.Errorf("redelivery asked for something else than %v", want)
	}
	if r := out.(Result).Results[0]; r.ImageID != "imgc-a" || r.Status != StatusStarted {
		t.Errorf("imgc-a = %+v, want started again in cn-hangzhou", r)
	}
}

// Item 1: an operator who retries a POST by hand is answered from the
// listing, not from the memory of the first POST.
func TestOperatorPostIsAnsweredFromWhatIsTrueNow(t *testing.T) {
	a := &asker{f: ok}
	api := &fakeAPI{answer: a.answer}
	h, _ := newTestHandler(t, api, nil)
	body := `{"imageId":"imgc-abc"}`
	if out, err := h.Handle(context.Background(), post(body)); err != nil || out.(httpResponse).StatusCode != 200 {
		t.Fatalf("first POST = %+v, %v", out, err)
	}
	a.take()
	api.images = shows("imgc-abc", time.Now().Add(-time.Hour), cp("cn-hangzhou", "CREATE_FAILED", "iv-1"), cp("cn-beijing", "AVAILABLE", "iv-1"))
	out, err := h.Handle(context.Background(), post(body))
	if err != nil || out.(httpResponse).StatusCode != 200 {
		t.Fatalf("second POST = %+v, %v", out, err)
	}
	if want := [][]string{{"cn-hangzhou"}}; !cmp.Equal(a.take(), want) {
		t.Errorf("second POST did not ask for the failed region alone: %s", out.(httpResponse).Body)
	}
	if body := out.(httpResponse).Body; !strings.Contains(body, `"region":"cn-hangzhou","status":"started"`) {
		t.Errorf("second POST answered %s, want cn-hangzhou started", body)
	}
}

// Item 2: a panic after the split keeps the region that started, and its
// task ID is logged.
func TestPanicAfterTheSplitKeepsTheStartedRegion(t *testing.T) {
	api := &fakeAPI{answer: func(n int32, d appstream.Distribution) (appstream.Started, error) {
		switch {
		case len(d.Regions) > 1:
			return appstream.Started{}, apiErr("ImageDistribute.RepeatedDistribution")
		case d.Regions[0] == "cn-beijing":
			panic("bug")
		}
		return appstream.Started{TaskID: "tid-kept", RequestID: "R"}, nil
	}}
	h, logs := newTestHandler(t, api, nil)
	if _, err := h.Handle(context.Background(), []byte(event)); typeName(err) != "RetryableFailure" {
		t.Fatalf("Handle() error = %v, want RetryableFailure for cn-beijing", err)
	}
	line := fmt.Sprint(imageLines(t, logs)["imgc-abc"]["regions"])
	if !strings.Contains(line, "region:cn-hangzhou status:started task_id:tid-kept") {
		t.Errorf("regions logged %s, want cn-hangzhou started with task tid-kept", line)
	}
	if !strings.Contains(line, "region:cn-beijing retryable:true status:failed") {
		t.Errorf("regions logged %s, want cn-beijing failed retryable", line)
	}
}

// parentMissingIn refuses, as the pessimistic reading has it, every call
// that names region with ParentImageRegionDistribute.NotExist.
func parentMissingIn(region string, then func(n int32, d appstream.Distribution) (appstream.Started, error)) func(int32, appstream.Distribution) (appstream.Started, error) {
	return func(n int32, d appstream.Distribution) (appstream.Started, error) {
		for _, r := range d.Regions {
			if r == region {
				return appstream.Started{}, apiErr("ParentImageRegionDistribute.NotExist")
			}
		}
		return then(n, d)
	}
}

// Item 3: one region's refusal does not block the others, which start in
// the same invocation.
func TestOneRegionsRefusalSplitsTheCall(t *testing.T) {
	a := &asker{f: parentMissingIn("cn-beijing", ok)}
	h, logs := newTestHandler(t, &fakeAPI{answer: a.answer}, nil)
	if _, err := h.Handle(context.Background(), []byte(event)); typeName(err) != "RetryableFailure" {
		t.Fatalf("Handle() error = %v, want RetryableFailure for cn-beijing", err)
	}
	if want := [][]string{{"cn-hangzhou", "cn-beijing"}, {"cn-hangzhou"}, {"cn-beijing"}}; !cmp.Equal(a.take(), want) {
		t.Errorf("calls differ from %v", want)
	}
	line := fmt.Sprint(imageLines(t, logs)["imgc-abc"]["regions"])
	if !strings.Contains(line, "region:cn-hangzhou status:started") {
		t.Errorf("regions logged %s, want cn-hangzhou started", line)
	}
}

// Item 3: a region refused on its own, after a split, is asked alone on
// the next delivery, so the regions still open are not refused with it
// again: whether its code is about one region or, refused for this region
// only, permanent.
func TestRegionRefusedAloneIsAskedAloneNextTime(t *testing.T) {
	for _, code := range []string{"ParentImageRegionDistribute.NotExist", "ImageRegionDistribute.NotAllow"} {
		t.Run(code, func(t *testing.T) {
			var second bool
			// cn-hangzhou holds a copy, so the first call is refused whole
			// and split; then cn-beijing is refused with code, and
			// cn-shenzhen fails retryably on the first delivery only.
			a := &asker{f: func(n int32, d appstream.Distribution) (appstream.Started, error) {
				switch {
				case slices.Contains(d.Regions, "cn-hangzhou"):
					return appstream.Started{}, apiErr("ImageDistribute.RepeatedDistribution")
				case slices.Contains(d.Regions, "cn-beijing"):
					return appstream.Started{}, apiErr(code)
				case !second:
					return appstream.Started{}, apiErr("InternalError")
				}
				return ok(n, d)
			}}
			api := &fakeAPI{answer: a.answer}
			h, _ := newTestHandler(t, api, map[string]string{"DESTINATION_REGIONS": "cn-hangzhou,cn-beijing,cn-shenzhen"})
			if _, err := h.Handle(context.Background(), []byte(event)); typeName(err) != "RetryableFailure" {
				t.Fatalf("first delivery: Handle() error = %v, want RetryableFailure", err)
			}
			a.take()
			second = true
			api.images = shows("imgc-abc", time.Now().Add(-time.Hour), cp("cn-hangzhou", "AVAILABLE", "iv-1"))
			out, _ := h.Handle(context.Background(), []byte(event))
			if want := [][]string{{"cn-shenzhen"}, {"cn-beijing"}}; !cmp.Equal(a.take(), want) {
				t.Errorf("second delivery asked otherwise than %v", want)
			}
			if r, ok := out.(Result); ok && r.Results[0].Regions[2].Status != StatusStarted {
				t.Errorf("second delivery regions %+v, want cn-shenzhen started", r.Results[0].Regions)
			}
		})
	}
}

// Item 3: a redelivery to a fresh instance, which remembers no refusal,
// sees in the listing that another region took the copy, so a refusal of
// the regions still open is split to find the one it is about.
func TestFreshInstanceSplitsARefusalOnceAnotherRegionHoldsTheCopy(t *testing.T) {
	a := &asker{f: func(n int32, d appstream.Distribution) (appstream.Started, error) {
		if slices.Contains(d.Regions, "cn-beijing") {
			return appstream.Started{}, apiErr("ImageRegionDistribute.NotAllow")
		}
		return ok(n, d)
	}}
	api := &fakeAPI{answer: a.answer, images: shows("imgc-abc", time.Now().Add(-time.Hour), cp("cn-hangzhou", "AVAILABLE", "iv-1"))}
	h, _ := newTestHandler(t, api, map[string]string{"DESTINATION_REGIONS": "cn-hangzhou,cn-beijing,cn-shenzhen"})
	_, _ = h.Handle(context.Background(), []byte(event))
	if want := [][]string{{"cn-beijing", "cn-shenzhen"}, {"cn-beijing"}, {"cn-shenzhen"}}; !cmp.Equal(a.take(), want) {
		t.Errorf("calls differ from %v", want)
	}
}

// Item 7: a one-image event looks before it calls; an image still being
// built is deferred without a call.
func TestOneImageEventLooksBeforeItCalls(t *testing.T) {
	api := &fakeAPI{answer: ok, images: shows("imgc-abc", time.Now())}
	api.images[0].Status = "CREATING"
	h, _ := newTestHandler(t, api, nil)
	if _, err := h.Handle(context.Background(), []byte(event)); typeName(err) != "RetryableFailure" {
		t.Fatalf("Handle() error = %v, want RetryableFailure so the event comes back", err)
	}
	if n, l := api.calls.Load(), api.listCalls.Load(); n != 0 || l != 1 {
		t.Errorf("distribute calls = %d, list calls = %d; want 0 and 1", n, l)
	}
}

// Item 7: the codes that mean "not yet" are deferred while the image is
// young, and are what the error table says otherwise.
func TestNotYetCodesOfAYoungImageAreDeferred(t *testing.T) {
	for _, tc := range []struct {
		name   string
		code   string
		images []appstream.Image
		want   Status
		retry  bool
	}{
		{"Image.NotExist, created a minute ago", "Image.NotExist", shows("imgc-abc", time.Now().Add(-time.Minute)), StatusDeferred, true},
		{"NotAllow, created a minute ago", "ImageRegionDistribute.NotAllow", shows("imgc-abc", time.Now().Add(-time.Minute)), StatusDeferred, true},
		{"NotConfigured, created a minute ago", "ImageRegion.NotConfigured", shows("imgc-abc", time.Now().Add(-time.Minute)), StatusDeferred, true},
		{"Image.NotExist, created a day ago", "Image.NotExist", shows("imgc-abc", time.Now().Add(-24*time.Hour)), StatusFailed, false},
		{"NotAllow, created a day ago", "ImageRegionDistribute.NotAllow", shows("imgc-abc", time.Now().Add(-24*time.Hour)), StatusFailed, false},
		{"Image.NotExist, not listed", "Image.NotExist", nil, StatusFailed, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			api := &fakeAPI{images: tc.images, answer: func(int32, appstream.Distribution) (appstream.Started, error) {
				return appstream.Started{}, apiErr(tc.code)
			}}
			h, logs := newTestHandler(t, api, nil)
			_, _ = h.Handle(context.Background(), []byte(event))
			line := imageLines(t, logs)["imgc-abc"]
			if line["status"] != string(tc.want) || line["retryable"] != tc.retry {
				t.Errorf("logged status %v retryable %v, want %s %v", line["status"], line["retryable"], tc.want, tc.retry)
			}
		})
	}
}

// A refusal of the caller (a role without the permission) is the same for
// every region: it is not split into one call per region, nor remembered
// as a region refused alone.
func TestARefusalOfTheCallerIsNotSplit(t *testing.T) {
	a := &asker{f: func(int32, appstream.Distribution) (appstream.Started, error) {
		return appstream.Started{}, apiErr("Forbidden.RAM")
	}}
	api := &fakeAPI{answer: a.answer, images: shows("imgc-abc", time.Now().Add(-time.Hour), cp("cn-hangzhou", "AVAILABLE", "iv-1"))}
	h, _ := newTestHandler(t, api, map[string]string{"DESTINATION_REGIONS": "cn-hangzhou,cn-beijing,cn-shenzhen"})
	_, _ = h.Handle(context.Background(), []byte(event))
	if want := [][]string{{"cn-beijing", "cn-shenzhen"}}; !cmp.Equal(a.take(), want) {
		t.Errorf("calls differ from %v", want)
	}
}
