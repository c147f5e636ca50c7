package handler

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/image-distributor/image-distributor/internal/appstream"
	"github.com/image-distributor/image-distributor/internal/sweep"
)

// getEvent is an HTTP-trigger GET with query.
func getEvent(query map[string]string) []byte {
	ev, _ := json.Marshal(map[string]any{"queryParameters": query,
		"requestContext": map[string]any{"http": map[string]string{"method": "GET", "sourceIp": "203.0.113.1"}}})
	return ev
}

func mustServe(t *testing.T, h *Handler, ctx context.Context, ev []byte) httpResponse {
	t.Helper()
	out, err := h.Handle(ctx, ev)
	if err != nil {
		t.Fatalf("Handle() error = %v; HTTP invocations answer, they do not fail", err)
	}
	return out.(httpResponse)
}

// built is an AVAILABLE image of version iv-1 built in cn-shanghai, with
// copies.
func built(id string, copies ...appstream.Copy) appstream.Image {
	return appstream.Image{ImageID: id, ImageName: "fin-" + id, ImageType: "User", ProductType: "CloudApp", Status: "AVAILABLE",
		VersionID: "iv-1", Regions: []string{"cn-shanghai"}, Copies: copies}
}

func copyOf(region, status, progress string) appstream.Copy {
	return appstream.Copy{RegionID: region, Status: status, Progress: progress, VersionID: "iv-1"}
}

func TestQueryImage(t *testing.T) {
	rs := func(kv ...string) []RegionStatus { // region, state, progress triples
		var out []RegionStatus
		for i := 0; i < len(kv); i += 3 {
			out = append(out, RegionStatus{Region: kv[i], State: sweep.State(kv[i+1]), Progress: kv[i+2]})
		}
		return out
	}
	status := func(img string, v sweep.Verdict, regions []RegionStatus) ImageStatus {
		return ImageStatus{ImageID: img, Status: "AVAILABLE", VersionID: "iv-1", ProductType: "CloudApp", SourceRegion: "cn-shanghai", Verdict: v, Regions: regions}
	}
	creating := built("imgc-q")
	creating.Status = "CREATING"
	tests := []struct {
		name      string
		images    []appstream.Image
		listErr   error
		query     map[string]string
		code      int
		want      any // ImageStatus, or the error code
		listCalls int32
	}{
		{"complete", []appstream.Image{built("imgc-q", copyOf("cn-hangzhou", "AVAILABLE", "100%"), copyOf("cn-beijing", "AVAILABLE", "100%"))}, nil,
			map[string]string{"imageId": "imgc-q"}, 200, status("imgc-q", sweep.VerdictComplete, rs("cn-hangzhou", "done", "", "cn-beijing", "done", "")), 1},
		{"copying", []appstream.Image{built("imgc-q", copyOf("cn-hangzhou", "AVAILABLE", "100%"), copyOf("cn-beijing", "CREATING", "40%"))}, nil,
			map[string]string{"imageId": "imgc-q"}, 200, status("imgc-q", sweep.VerdictInProgress, rs("cn-hangzhou", "done", "", "cn-beijing", "copying", "40%")), 1},
		{"failed", []appstream.Image{built("imgc-q", copyOf("cn-hangzhou", "CREATE_FAILED", "30%"), copyOf("cn-beijing", "AVAILABLE", "100%"))}, nil,
			map[string]string{"imageId": "imgc-q"}, 200, status("imgc-q", sweep.VerdictIncomplete, rs("cn-hangzhou", "failed", "", "cn-beijing", "done", "")), 1},
		{"missing, among other images", []appstream.Image{built("imgc-other"), built("imgc-q", copyOf("cn-beijing", "AVAILABLE", "100%"))}, nil,
			map[string]string{"imageId": "imgc-q"}, 200, status("imgc-q", sweep.VerdictIncomplete, rs("cn-hangzhou", "missing", "", "cn-beijing", "done", "")), 1},
		{"the regions and version asked for", []appstream.Image{built("imgc-q", copyOf("cn-beijing", "AVAILABLE", "100%"))}, nil,
			map[string]string{"imageId": "imgc-q", "versionId": "iv-0", "destinationRegions": "cn-beijing"}, 200,
			ImageStatus{ImageID: "imgc-q", Status: "AVAILABLE", VersionID: "iv-0", ProductType: "CloudApp", SourceRegion: "cn-shanghai",
				Verdict: sweep.VerdictIncomplete, Regions: rs("cn-beijing", "missing", "")}, 1},
		{"being built", []appstream.Image{creating}, nil, map[string]string{"imageId": "imgc-q"}, 200,
			ImageStatus{ImageID: "imgc-q", Status: "CREATING", VersionID: "iv-1", ProductType: "CloudApp", SourceRegion: "cn-shanghai",
				Verdict: sweep.VerdictInProgress, Regions: rs("cn-hangzhou", "missing", "", "cn-beijing", "missing", "")}, 1},
		{"unknown image", []appstream.Image{built("imgc-other")}, nil, map[string]string{"imageId": "imgc-q"}, 404, "ImageNotFound", 1},
		{"region not allowed", nil, nil, map[string]string{"imageId": "imgc-q", "destinationRegions": "us-west-1"}, 422, "RegionNotAllowed", 0},
		{"hostile ID", nil, nil, map[string]string{"imageId": "imgc-q\n"}, 400, "InvalidRequest", 0},
		{"throttled", nil, apiErr("Throttling.User"), map[string]string{"imageId": "imgc-q"}, 503, "Throttling.User", 1},
		{"role without ListImage", nil, apiErr("Forbidden.RAM"), map[string]string{"imageId": "imgc-q"}, 502, "Forbidden.RAM", 1},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			api := &fakeAPI{answer: ok, images: tc.images, listErr: tc.listErr}
			h, logs := newTestHandler(t, api, map[string]string{"MAX_ATTEMPTS": "1"})
			resp := mustServe(t, h, context.Background(), getEvent(tc.query))
			if resp.StatusCode != tc.code {
				t.Fatalf("status = %d, want %d; body %s", resp.StatusCode, tc.code, resp.Body)
			}
			var got ImageStatus
			var e httpError
			json.Unmarshal([]byte(resp.Body), &got)
			json.Unmarshal([]byte(resp.Body), &e)
			if want, isStatus := tc.want.(ImageStatus); isStatus {
				if diff := cmp.Diff(want, got); diff != "" {
					t.Errorf("answer (-want +got):\n%s", diff)
				}
			} else if e.Error.Code != tc.want {
				t.Errorf("body %s, want error code %v", resp.Body, tc.want)
			}
			if (tc.code == 503) != (resp.Headers["Retry-After"] != "") {
				t.Errorf("Retry-After = %q with status %d", resp.Headers["Retry-After"], tc.code)
			}
			if api.listCalls.Load() != tc.listCalls || api.calls.Load() != 0 {
				t.Errorf("%d ListImage and %d distribute calls, want %d and none", api.listCalls.Load(), api.calls.Load(), tc.listCalls)
			}
			if tc.listCalls > 0 {
				mustOneQueryLine(t, logs.String(), tc.code)
			}
		})
	}
}

// mustOneQueryLine checks that a query logs one status-query line and
// nothing a distribution logs.
func mustOneQueryLine(t *testing.T, logs string, code int) {
	t.Helper()
	var n int
	for _, line := range strings.Split(strings.TrimSpace(logs), "\n") {
		var m map[string]any
		if json.Unmarshal([]byte(line), &m) != nil {
			t.Fatalf("log line %q is not JSON", line)
		}
		switch {
		case m["status"] == "status-query":
			n++
			if m["http_status"] != float64(code) {
				t.Errorf("status-query line %s, want http_status %d", line, code)
			}
		case m["message"] == "invocation finished", strings.HasPrefix(m["message"].(string), "image "):
			t.Errorf("a query logged a distribution's line: %s", line)
		}
	}
	if n != 1 {
		t.Errorf("%d status-query lines, want 1:\n%s", n, logs)
	}
}

// The view of every managed image is the sweep's own pass: what the next
// sweep would do for each, including the cap on starts, with no call made.
func TestQueryAll(t *testing.T) {
	api := newCatalogue(250, func(i int) bool { return i%10 != 0 }) // 25 to start, 225 complete
	h, logs := newSweepHandler(t, api, map[string]string{"SWEEP_NAME_PATTERN": "fin-*", "MAX_IMAGES_PER_INVOCATION": "20"})
	resp := mustServe(t, h, context.Background(), getEvent(nil))
	var got StatusAll
	if err := json.Unmarshal([]byte(resp.Body), &got); err != nil || resp.StatusCode != 200 {
		t.Fatalf("answer %d %s: %v", resp.StatusCode, resp.Body, err)
	}
	actions := map[sweep.Action]int{}
	verdicts := map[sweep.Verdict]int{}
	for _, img := range got.Images {
		actions[img.NextSweep.Action]++
		verdicts[img.Verdict]++
		if img.NextSweep.Action == sweep.Start && !cmp.Equal(img.NextSweep.Regions, []string{"cn-hangzhou", "cn-beijing"}) {
			t.Errorf("%s: next sweep starts %v, want both regions", img.ImageID, img.NextSweep.Regions)
		}
	}
	wantActions := map[sweep.Action]int{sweep.Start: 20, sweep.NotReached: 5, sweep.Complete: 225}
	wantVerdicts := map[sweep.Verdict]int{sweep.VerdictIncomplete: 25, sweep.VerdictComplete: 225}
	if !cmp.Equal(wantActions, actions) || !cmp.Equal(wantVerdicts, verdicts) {
		t.Errorf("next sweep %v, verdicts %v; want %v, %v", actions, verdicts, wantActions, wantVerdicts)
	}
	if want := (Listing{Complete: true, PagesListed: 3, PagesTotal: 3}); got.Listing != want {
		t.Errorf("listing = %+v, want %+v", got.Listing, want)
	}
	if started, _, _, _ := api.snapshot(); len(started) != 0 {
		t.Errorf("the query started %v", started)
	}
	mustOneQueryLine(t, logs.String(), 200)
}

// A catalogue too long to list before the deadline: the answer comes in
// time with what was listed, and says the listing is not complete and how
// many images it did not reach.
func TestQueryAllStopsAtTheDeadline(t *testing.T) {
	api := newCatalogue(6000, nil) // 60 pages
	api.delay = 50 * time.Millisecond
	h, _ := newSweepHandler(t, api, map[string]string{"SWEEP_NAME_PATTERN": "fin-*", "API_QPS": "20", "MAX_CONCURRENCY": "2"})
	ctx, cancel := context.WithTimeout(context.Background(), 1500*time.Millisecond)
	defer cancel()
	resp := mustServe(t, h, ctx, getEvent(nil))
	if dl, _ := ctx.Deadline(); time.Now().After(dl) {
		t.Error("the query overran its deadline")
	}
	var got StatusAll
	if err := json.Unmarshal([]byte(resp.Body), &got); err != nil || resp.StatusCode != 200 {
		t.Fatalf("answer %d %s: %v", resp.StatusCode, resp.Body, err)
	}
	l := got.Listing
	if l.Complete || l.PagesTotal != 60 || l.PagesListed < 1 || l.PagesListed >= 60 || len(got.Images) != 100*l.PagesListed || l.ImagesNotReached != 6000-len(got.Images) {
		t.Errorf("listing %+v with %d images, want an incomplete listing of 60 pages that counts what it did not reach", l, len(got.Images))
	}
}

// With nothing selected, the sweep manages nothing: the answer says so
// without listing.
func TestQueryAllWithoutSelection(t *testing.T) {
	api := &fakeAPI{answer: ok, images: catalogue(3)}
	h, _ := newTestHandler(t, api, nil)
	resp := mustServe(t, h, context.Background(), getEvent(nil))
	var got StatusAll
	if err := json.Unmarshal([]byte(resp.Body), &got); err != nil || resp.StatusCode != 200 ||
		len(got.Images) != 0 || !strings.Contains(got.Message, "manages no image") || api.listCalls.Load() != 0 {
		t.Errorf("answer %d %s with %d list calls, want 200, no image, a message and no call", resp.StatusCode, resp.Body, api.listCalls.Load())
	}
}

// Every method but GET and POST is refused, naming both.
func TestQueryMethods(t *testing.T) {
	h, _ := newTestHandler(t, &fakeAPI{answer: ok}, nil)
	for _, m := range []string{"PUT", "DELETE", "HEAD", "OPTIONS", "PATCH"} {
		ev, _ := json.Marshal(map[string]any{"requestContext": map[string]any{"http": map[string]string{"method": m}}})
		resp := mustServe(t, h, context.Background(), ev)
		if resp.StatusCode != 405 || resp.Headers["Allow"] != "GET, POST" {
			t.Errorf("%s: %d Allow %q, want 405 Allow \"GET, POST\"", m, resp.StatusCode, resp.Headers["Allow"])
		}
	}
}

// An answer about a catalogue too large for FC's 6 MB limit on a result
// leaves complete images out, counts them, and keeps every image that is
// not complete; without it, FC failed the query with ResponseTooLarge.
func TestQueryAllFitsFCsLimit(t *testing.T) {
	api := newCatalogue(40000, func(i int) bool { return i%4000 != 0 }) // 10 to start, the rest complete
	h, logs := newSweepHandler(t, api, map[string]string{"SWEEP_NAME_PATTERN": "fin-*", "API_QPS": "100", "MAX_CONCURRENCY": "8"})
	resp := mustServe(t, h, context.Background(), getEvent(nil))
	if len(resp.Body) > maxResultBytes {
		t.Fatalf("answer is %d bytes, over %d", len(resp.Body), maxResultBytes)
	}
	var got StatusAll
	if err := json.Unmarshal([]byte(resp.Body), &got); err != nil || resp.StatusCode != 200 {
		t.Fatalf("answer %d: %v", resp.StatusCode, err)
	}
	incomplete := 0
	for _, img := range got.Images {
		if img.Verdict == sweep.VerdictIncomplete {
			incomplete++
		}
	}
	if n := got.Omitted[sweep.VerdictComplete]; n == 0 || n+len(got.Images) != 40000 || incomplete != 10 || !got.Listing.Complete {
		t.Errorf("answer holds %d images (%d incomplete), omits %v, listing %+v; want all 40000 counted and the 10 incomplete kept",
			len(got.Images), incomplete, got.Omitted, got.Listing)
	}
	if !strings.Contains(logs.String(), `"omitted"`) {
		t.Error("no warning that the answer leaves images out")
	}
}
