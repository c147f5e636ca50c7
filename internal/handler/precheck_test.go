package handler

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/image-distributor/image-distributor/internal/appstream"
)

// recorder answers ok and records what each call asked for, by image.
type recorder struct {
	mu    sync.Mutex
	asked map[string][][]string
}

func (r *recorder) answer(n int32, d appstream.Distribution) (appstream.Started, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.asked == nil {
		r.asked = map[string][][]string{}
	}
	r.asked[d.ImageID] = append(r.asked[d.ImageID], d.Regions)
	return ok(n, d)
}

func listed(id, status string, copies ...appstream.Copy) appstream.Image {
	return appstream.Image{ImageID: id, ImageType: "User", ProductType: "CloudApp", Status: status,
		VersionID: "iv-1", Regions: []string{"cn-shanghai"}, Copies: copies}
}

func cp(region, status, version string) appstream.Copy {
	return appstream.Copy{RegionID: region, Status: status, VersionID: version}
}

// Before an invocation of several images, a listing shows what earlier
// deliveries started, and only what is missing is called for.
func TestPrecheckSkipsWhatTheListingShows(t *testing.T) {
	rec := &recorder{}
	api := &fakeAPI{answer: rec.answer, images: []appstream.Image{
		listed("imgc-done", "AVAILABLE", cp("cn-hangzhou", "AVAILABLE", "iv-1"), cp("cn-beijing", "AVAILABLE", "iv-1")),
		listed("imgc-half", "AVAILABLE", appstream.Copy{RegionID: "cn-hangzhou", Status: "CREATING", Progress: "40%", VersionID: "iv-1"}),
		listed("imgc-failed", "AVAILABLE", cp("cn-hangzhou", "CREATE_FAILED", "iv-1"), cp("cn-beijing", "AVAILABLE", "iv-0")),
		listed("imgc-building", "CREATING"),
	}}
	h, logs := newTestHandler(t, api, nil)
	_, err := h.Handle(context.Background(), batch("imgc-done", "imgc-half", "imgc-failed", "imgc-building", "imgc-unlisted"))
	if typeName(err) != "RetryableFailure" {
		t.Fatalf("Handle() error = %v, want RetryableFailure for the image still being built", err)
	}
	want := map[string][][]string{
		"imgc-half":     {{"cn-beijing"}},
		"imgc-failed":   {{"cn-hangzhou", "cn-beijing"}}, // a failed copy, and a copy of another version
		"imgc-unlisted": {{"cn-hangzhou", "cn-beijing"}},
	}
	if diff := cmp.Diff(want, rec.asked); diff != "" {
		t.Errorf("calls (-want +got):\n%s", diff)
	}
	if n := api.listCalls.Load(); n != 2 {
		t.Errorf("list calls = %d, want 2: one page, then a lookup of the image it did not show", n)
	}
	lines := imageLines(t, logs)
	for id, status := range map[string]string{"imgc-done": "already-distributed", "imgc-half": "started", "imgc-building": "deferred", "imgc-unlisted": "started"} {
		if got := lines[id]["status"]; got != status {
			t.Errorf("%s logged %v, want %s", id, got, status)
		}
	}
	half := fmt.Sprint(lines["imgc-half"]["regions"], lines["imgc-half"]["progress"])
	if !strings.Contains(half, "region:cn-hangzhou status:already-distributed") || !strings.Contains(half, "cn-hangzhou:40%") {
		t.Errorf("imgc-half logged regions and progress %s, want cn-hangzhou already-distributed at 40%%", half)
	}
}

func TestPrecheckIsNotAGate(t *testing.T) {
	api := &fakeAPI{answer: ok, listErr: &appstream.Error{Code: "Forbidden.RAM", Class: appstream.Permanent}}
	h, logs := newTestHandler(t, api, nil)
	if _, err := h.Handle(context.Background(), batch("imgc-a", "imgc-b")); err != nil {
		t.Fatalf("Handle() error = %v; a failed listing must not fail the images", err)
	}
	if n := api.calls.Load(); n != 2 {
		t.Errorf("API calls = %d, want 2", n)
	}
	if n := strings.Count(logs.String(), "cannot look at the image"); n != 2 {
		t.Errorf("%d lookup warnings, want 2:\n%s", n, logs)
	}
}

// A listing that never answers must leave the invocation time to call.
func TestPrecheckCannotTakeTheWholeDeadline(t *testing.T) {
	api := &fakeAPI{answer: ok, listStall: true}
	h, _ := newTestHandler(t, api, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if _, err := h.Handle(ctx, batch("imgc-a", "imgc-b")); err != nil {
		t.Fatalf("Handle() error = %v, want both images started after the stalled listing", err)
	}
	if n := api.calls.Load(); n != 2 {
		t.Errorf("API calls = %d, want 2", n)
	}
}

func TestPrecheckIsBounded(t *testing.T) {
	for _, tc := range []struct {
		name      string
		images    []string
		env       map[string]string
		wantLists int32
	}{
		{"one image: one lookup", []string{"imgc-a"}, nil, 1},
		{"dry run: no listing", []string{"imgc-a", "imgc-b"}, map[string]string{"DRY_RUN": "true"}, 0},
		{"two images: two lookups, as cheap as two pages", []string{"imgc-s0", "imgc-s1"}, nil, 2},
		{"three images found on the first page: one", []string{"imgc-s0", "imgc-s1", "imgc-s2"}, nil, 1},
		{"three images not listed: two pages and three lookups", []string{"imgc-a", "imgc-b", "imgc-c"}, nil, 5},
	} {
		t.Run(tc.name, func(t *testing.T) {
			api := &fakeAPI{answer: ok, images: catalogue(1000)}
			h, _ := newTestHandler(t, api, tc.env)
			if _, err := h.Handle(context.Background(), batch(tc.images...)); err != nil {
				t.Fatal(err)
			}
			if n := api.listCalls.Load(); n != tc.wantLists {
				t.Errorf("list calls = %d, want %d", n, tc.wantLists)
			}
			wantCalls := int32(len(tc.images)) // the catalogue shows no copies
			if tc.env["DRY_RUN"] != "" {
				wantCalls = 0
			}
			if n := api.calls.Load(); n != wantCalls {
				t.Errorf("API calls = %d, want %d", n, wantCalls)
			}
		})
	}
}
