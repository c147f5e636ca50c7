package main_test

import (
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/image-distributor/image-distributor/internal/appstream/appstreamtest"
	"github.com/image-distributor/image-distributor/internal/sandbox"
)

// call is what the stand-in should receive for one image.
type call struct {
	Image, Version, Product, Source, Regions string
}

// samples says what each file in events/ must make the function do. A new
// sample without a row here fails TestEveryEventSample.
var samples = map[string][]call{
	"eventbridge-image-created.json": { // product from InstanceType; no source: the API picks it
		{"imgc-07jyldnd9iab12cd", "iv-07jyldnd9iab34ef", "CloudDesktop", "", "cn-hangzhou,cn-shenzhen"},
	},
	"eventbridge-image-data.json": {
		{"imgc-0b8xk2m5q7rs90tu", "iv-0b8xk2m5q7rs12ab", "CloudApp", "cn-hangzhou", "cn-beijing,ap-southeast-1"},
	},
	"eventbridge-batch.json": { // the repeated image collapses to one call
		{"imgc-1c9ym3n6r8st01uv", "", "CloudApp", "cn-shanghai", "cn-hangzhou,cn-beijing,ap-southeast-1"},
		{"imgc-2d0zn4p7s9tu12vw", "", "WuyingServer", "cn-shanghai", "cn-hangzhou,cn-beijing,ap-southeast-1"},
	},
	"http-distribute.json": {
		{"imgc-3e1ap5q8t0uv23wx", "iv-3e1ap5q8t0uv45yz", "CloudApp", "cn-shanghai", "cn-hangzhou,cn-beijing"},
	},
	"http-status.json":     nil, // a status query starts nothing
	"http-status-all.json": nil,
	"timer.json": { // the sweep sends the version ListImage reports
		{"imgc-4f2bq6r9u1vw34xy", "iv-4f2bq6r9u1vw34xy", "CloudApp", "cn-shanghai", "cn-hangzhou,cn-beijing,ap-southeast-1"},
		{"imgc-5g3cr7s0v2wx45yz", "iv-5g3cr7s0v2wx67ab", "CloudDesktop", "cn-shanghai", "cn-beijing"},
	},
}

// catalogues registers, for the samples that sweep, the images the
// stand-in's ListImage must return.
var catalogues = map[string][]appstreamtest.Image{
	"timer.json": { // the sweep sends the version ListImage reports
		{ImageID: "imgc-4f2bq6r9u1vw34xy", ImageName: "office-apps", ProductType: "CloudApp", HomeRegion: "cn-shanghai", Created: time.Now().Add(-time.Hour)},
		{ImageID: "imgc-5g3cr7s0v2wx45yz", ImageName: "design-desktop", ProductType: "CloudDesktop", HomeRegion: "cn-shanghai", Created: time.Now().Add(-time.Hour)},
	},
}

// queries says, for the samples that ask where images are, how to seed
// the stand-in and the verdict the answer must give each image.
var queries = map[string]struct {
	env      map[string]string
	seed     func(*appstreamtest.Server)
	verdicts map[string]string
}{
	"http-status.json": {
		seed: func(s *appstreamtest.Server) {
			s.AddImage(appstreamtest.Image{ImageID: "imgc-6h4ds8t1w3xy56za", ProductType: "CloudApp", HomeRegion: "cn-shanghai"})
			s.MarkDistributed("imgc-6h4ds8t1w3xy56za", "cn-hangzhou")
			s.MarkCopying("imgc-6h4ds8t1w3xy56za", time.Minute, time.Hour, "cn-beijing")
		},
		verdicts: map[string]string{"imgc-6h4ds8t1w3xy56za": "incomplete"}, // ap-southeast-1 is missing
	},
	"http-status-all.json": {
		env: map[string]string{"SWEEP_NAME_PATTERN": "fin-*"},
		seed: func(s *appstreamtest.Server) {
			s.AddImage(catalogued("imgc-all1", "AVAILABLE"))
			s.AddImage(catalogued("imgc-all2", "CREATING"))
			s.MarkDistributed("imgc-all1", "cn-hangzhou", "cn-beijing", "ap-southeast-1")
		},
		verdicts: map[string]string{"imgc-all1": "complete", "imgc-all2": "in-progress"},
	},
}

// TestEveryEventSample replays each sample through the compiled function
// and checks the calls the API received against the task IDs in the
// answer and in the logs.
func TestEveryEventSample(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "events", "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no samples in events/: %v", err)
	}
	for _, f := range files {
		name := filepath.Base(f)
		t.Run(name, func(t *testing.T) {
			want, ok := samples[name]
			if !ok {
				t.Fatalf("events/%s has no expected calls in samples", name)
			}
			q, isQuery := queries[name]
			sb := start(t, q.env)
			for _, img := range catalogues[name] {
				sb.API.AddImage(img)
			}
			if isQuery {
				q.seed(sb.API)
			}
			res := invoke(t, sb, readEvent(t, name))
			if isQuery {
				checkQuery(t, sb, res.Payload, q.verdicts)
				return
			}
			payload := res.Payload
			if strings.HasPrefix(name, "http-") {
				payload = httpBody(t, res.Payload, 200)
				res.Payload = payload
			}
			r := mustResult(t, res, sb.Logs)

			var got []call
			tasks := map[string]string{} // image → task ID the API issued
			for _, c := range distributeCalls(sb) {
				got = append(got, call{c.ImageID, c.VersionID, c.ProductType, c.SourceRegion, strings.Join(c.DestinationRegions, ",")})
				tasks[c.ImageID] = c.TaskID
			}
			sortCalls(got)
			sortCalls(want)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("API calls (-want +got):\n%s", diff)
			}
			if len(r.Results) != len(want) {
				t.Fatalf("answer has %d results, want %d: %s", len(r.Results), len(want), payload)
			}
			for _, ir := range r.Results {
				if ir.Status != "started" || ir.TaskID == "" || ir.TaskID != tasks[ir.ImageID] {
					t.Errorf("result for %s = %s/%q, want started with the API's task %q", ir.ImageID, ir.Status, ir.TaskID, tasks[ir.ImageID])
				}
				waitLog(t, sb.Logs, ir.TaskID)
				if lines := logLines(sb.Logs, "task_id", ir.TaskID); len(lines) != 1 || lines[0]["image_id"] != ir.ImageID || lines[0]["request_id"] == "" {
					t.Errorf("want one log line tying %s to %s with the FC request ID, got %v", ir.TaskID, ir.ImageID, lines)
				}
			}
			waitLog(t, sb.Logs, "invocation finished")
		})
	}
}

func sortCalls(cs []call) {
	slices.SortFunc(cs, func(a, b call) int { return strings.Compare(a.Image, b.Image) })
}

// httpBody unwraps an HTTP-trigger answer and checks its status.
func httpBody(t *testing.T, payload []byte, wantStatus int) []byte {
	t.Helper()
	var resp struct {
		StatusCode int               `json:"statusCode"`
		Headers    map[string]string `json:"headers"`
		Body       string            `json:"body"`
	}
	if err := json.Unmarshal(payload, &resp); err != nil {
		t.Fatalf("HTTP answer %s: %v", payload, err)
	}
	if resp.StatusCode != wantStatus {
		t.Fatalf("HTTP status = %d, want %d; body %s", resp.StatusCode, wantStatus, resp.Body)
	}
	if resp.Headers["Content-Type"] != "application/json" {
		t.Errorf("Content-Type = %q, want application/json", resp.Headers["Content-Type"])
	}
	return []byte(resp.Body)
}

// checkQuery checks a status sample's answer: a verdict for each image,
// ListImage called, nothing started, one status-query line.
func checkQuery(t *testing.T, sb *sandbox.Sandbox, payload []byte, want map[string]string) {
	t.Helper()
	a := decodeStatus(t, payload, 200)
	got := map[string]string{}
	for _, img := range append(a.Images, a.imageStatus) {
		if img.ImageID != "" {
			got[img.ImageID] = img.Verdict
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("verdicts (-want +got):\n%s", diff)
	}
	if sb.API.ListCalls() == 0 || len(distributeCalls(sb)) != 0 {
		t.Errorf("%d ListImage and %d distribute calls, want some and none", sb.API.ListCalls(), len(distributeCalls(sb)))
	}
	waitLog(t, sb.Logs, "status query answered")
	if n := len(logLines(sb.Logs, "status", "status-query")); n != 1 {
		t.Errorf("%d status-query lines, want 1", n)
	}
}
