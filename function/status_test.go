package main_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/image-distributor/image-distributor/internal/appstream/appstreamtest"
	"github.com/image-distributor/image-distributor/internal/sandbox"
)

// statusAnswer mirrors a status query's answer, for one image or for all.
type statusAnswer struct {
	imageStatus
	Images  []imageStatus `json:"images"`
	Listing struct {
		Complete         bool `json:"complete"`
		PagesListed      int  `json:"pagesListed"`
		PagesTotal       int  `json:"pagesTotal"`
		ImagesNotReached int  `json:"imagesNotReached"`
	} `json:"listing"`
	Error errorInfo `json:"error"`
}

type imageStatus struct {
	ImageID      string         `json:"imageId"`
	Status       string         `json:"status"`
	VersionID    string         `json:"versionId"`
	ProductType  string         `json:"productType"`
	SourceRegion string         `json:"sourceRegion"`
	Verdict      string         `json:"verdict"`
	Regions      []regionStatus `json:"regions"`
	NextSweep    *struct {
		Action  string   `json:"action"`
		Regions []string `json:"regions"`
		Code    string   `json:"code"`
	} `json:"nextSweep"`
}

type regionStatus struct {
	Region   string `json:"region"`
	State    string `json:"state"`
	Progress string `json:"progress,omitempty"`
}

// httpEvent is an HTTP-trigger event as FC delivers it.
func httpEvent(method, token string, query map[string]string, body string) []byte {
	ev, _ := json.Marshal(map[string]any{
		"version": "v1", "rawPath": "/status", "body": body, "isBase64Encoded": false,
		"headers":         map[string]string{"X-Distributor-Token": token},
		"queryParameters": query,
		"requestContext":  map[string]any{"http": map[string]string{"method": method, "path": "/status", "sourceIp": "203.0.113.1"}},
	})
	return ev
}

// ask sends a GET with the sample token and decodes the answer, which
// must have status code.
func ask(t *testing.T, sb *sandbox.Sandbox, query map[string]string, code int) statusAnswer {
	t.Helper()
	return decodeStatus(t, invoke(t, sb, httpEvent("GET", sandbox.HTTPToken, query, "")).Payload, code)
}

func decodeStatus(t *testing.T, payload []byte, code int) statusAnswer {
	t.Helper()
	body := httpBody(t, payload, code)
	var a statusAnswer
	if err := json.Unmarshal(body, &a); err != nil {
		t.Fatalf("answer %s: %v", body, err)
	}
	return a
}

// st1 is the image the tests ask about.
const st1 = "imgc-st1"

// TestStatusOfOneImage: each state a region can be in, through the
// compiled binary, in one ListImage call filtered on the image and no
// distribute call.
func TestStatusOfOneImage(t *testing.T) {
	tests := []struct {
		name    string
		seed    func(*appstreamtest.Server)
		verdict string
		regions []regionStatus
	}{
		{"complete", func(s *appstreamtest.Server) { s.MarkDistributed(st1, "cn-hangzhou", "cn-beijing", "ap-southeast-1") }, "complete",
			[]regionStatus{{"cn-hangzhou", "done", ""}, {"cn-beijing", "done", ""}, {"ap-southeast-1", "done", ""}}},
		{"copying with progress", func(s *appstreamtest.Server) {
			s.MarkDistributed(st1, "cn-hangzhou", "ap-southeast-1")
			s.MarkCopying(st1, 40*time.Minute, 100*time.Minute, "cn-beijing")
		}, "in-progress", []regionStatus{{"cn-hangzhou", "done", ""}, {"cn-beijing", "copying", "40%"}, {"ap-southeast-1", "done", ""}}},
		{"failed", func(s *appstreamtest.Server) {
			s.MarkDistributed(st1, "cn-hangzhou", "ap-southeast-1")
			s.MarkCopying(st1, 30*time.Minute, 100*time.Minute, "cn-beijing")
			s.MarkFailed(st1, "cn-beijing")
		}, "incomplete", []regionStatus{{"cn-hangzhou", "done", ""}, {"cn-beijing", "failed", ""}, {"ap-southeast-1", "done", ""}}},
		{"missing", func(s *appstreamtest.Server) { s.MarkDistributed(st1, "cn-beijing") }, "incomplete",
			[]regionStatus{{"cn-hangzhou", "missing", ""}, {"cn-beijing", "done", ""}, {"ap-southeast-1", "missing", ""}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sb := start(t, nil)
			sb.API.AddImage(catalogued(st1, "AVAILABLE"))
			sb.API.AddImage(catalogued("imgc-st2", "AVAILABLE"))
			tc.seed(sb.API)
			got := ask(t, sb, map[string]string{"imageId": st1}, 200)
			want := imageStatus{ImageID: st1, Status: "AVAILABLE", VersionID: "iv-st1", ProductType: "CloudApp", SourceRegion: "cn-shanghai",
				Verdict: tc.verdict, Regions: tc.regions}
			if diff := cmp.Diff(want, got.imageStatus); diff != "" {
				t.Errorf("answer (-want +got):\n%s", diff)
			}
			calls := sb.API.Calls()
			if len(calls) != 1 || calls[0].Action != "ListImage" || calls[0].Params.Get("ImageId") != st1 {
				t.Errorf("calls = %+v, want one ListImage with ImageId=%s", calls, st1)
			}
			waitLog(t, sb.Logs, "status query answered")
			if lines := logLines(sb.Logs, "status", "status-query"); len(lines) != 1 || lines[0]["verdict"] != tc.verdict || lines[0]["image_id"] != st1 {
				t.Errorf("status-query lines = %v, want one with verdict %s", lines, tc.verdict)
			}
			if n := len(logLines(sb.Logs, "message", "invocation finished")); n != 0 {
				t.Errorf("a query logged %d invocation summaries, want none: it is not a distribution", n)
			}
		})
	}
}

// TestStatusRefusals: what a GET is refused for, and that a refusal calls
// nothing. They share one function instance, as a burst of bad requests
// would.
func TestStatusRefusals(t *testing.T) {
	sb := start(t, nil)
	sb.API.AddImage(catalogued(st1, "AVAILABLE"))
	q := func(kv ...string) map[string]string {
		m := map[string]string{}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	tests := []struct {
		name, method, token string
		query               map[string]string
		body                string
		code                int
		errCode             string
		listCalls           int
	}{
		{"unknown image", "GET", sandbox.HTTPToken, q("imageId", "imgc-nosuch1"), "", 404, "ImageNotFound", 1},
		{"path traversal in the ID", "GET", sandbox.HTTPToken, q("imageId", "imgc-../../etc/passwd"), "", 400, "InvalidRequest", 0},
		{"log injection in the ID", "GET", sandbox.HTTPToken, q("imageId", "imgc-st1\n{\"level\":\"error\"}"), "", 400, "InvalidRequest", 0},
		{"two IDs, comma-joined by FC", "GET", sandbox.HTTPToken, q("imageId", "imgc-st1,imgc-st2"), "", 400, "InvalidRequest", 0},
		{"malformed version", "GET", sandbox.HTTPToken, q("imageId", st1, "versionId", "v1; drop"), "", 400, "InvalidRequest", 0},
		{"malformed region", "GET", sandbox.HTTPToken, q("imageId", st1, "destinationRegions", "cn-hangzhou,CN HANGZHOU"), "", 400, "InvalidRequest", 0},
		{"unknown parameter", "GET", sandbox.HTTPToken, q("imageId", st1, "productType", "CloudApp"), "", 400, "InvalidRequest", 0},
		{"a body", "GET", sandbox.HTTPToken, q("imageId", st1), `{"imageId":"imgc-st1"}`, 400, "InvalidRequest", 0},
		{"region not allowed", "GET", sandbox.HTTPToken, q("imageId", st1, "destinationRegions", "us-west-1"), "", 422, "RegionNotAllowed", 0},
		{"no token", "GET", "", q("imageId", st1), "", 401, "Unauthorized", 0},
		{"wrong token", "GET", "guess", q(), "", 401, "Unauthorized", 0},
		{"PUT", "PUT", sandbox.HTTPToken, q("imageId", st1), "", 405, "MethodNotAllowed", 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			before := len(sb.API.Calls())
			res := invoke(t, sb, httpEvent(tc.method, tc.token, tc.query, tc.body))
			a := decodeStatus(t, res.Payload, tc.code)
			if a.Error.Code != tc.errCode {
				t.Errorf("error code %q, want %q", a.Error.Code, tc.errCode)
			}
			if tc.code == 405 {
				var resp struct{ Headers map[string]string }
				json.Unmarshal(res.Payload, &resp)
				if resp.Headers["Allow"] != "GET, POST" {
					t.Errorf("Allow = %q, want \"GET, POST\"", resp.Headers["Allow"])
				}
			}
			calls := sb.API.Calls()[before:]
			if len(calls) != tc.listCalls {
				t.Errorf("%d API calls, want %d ListImage: %+v", len(calls), tc.listCalls, calls)
			}
			for _, c := range calls {
				if c.Action != "ListImage" {
					t.Errorf("a query called %s", c.Action)
				}
			}
		})
	}
}

// TestQueriesNeverDistribute: every query shape, the samples included,
// against images missing from every region, and not one
// StartTaskForDistributeImage reaches the API.
func TestQueriesNeverDistribute(t *testing.T) {
	sb := start(t, map[string]string{"SWEEP_NAME_PATTERN": "*"})
	for _, id := range []string{st1, "imgc-6h4ds8t1w3xy56za"} {
		sb.API.AddImage(catalogued(id, "AVAILABLE"))
	}
	sb.API.MarkFailed(st1, "cn-beijing")
	for _, ev := range [][]byte{
		readEvent(t, "http-status.json"),
		readEvent(t, "http-status-all.json"),
		httpEvent("GET", sandbox.HTTPToken, map[string]string{"imageId": st1}, ""),
		httpEvent("GET", sandbox.HTTPToken, map[string]string{"imageId": st1, "versionId": "iv-old1", "destinationRegions": "cn-shenzhen,cn-beijing"}, ""),
		httpEvent("GET", sandbox.HTTPToken, map[string]string{"imageId": "imgc-nosuch1"}, ""),
		httpEvent("GET", sandbox.HTTPToken, nil, ""),
		httpEvent("GET", sandbox.HTTPToken, map[string]string{"imageId": st1}, `{"imageId":"imgc-st1"}`),
		httpEvent("GET", "", nil, ""),
	} {
		invoke(t, sb, ev)
	}
	var lists int
	for _, c := range sb.API.Calls() {
		switch c.Action {
		case "ListImage":
			lists++
		default:
			t.Errorf("a query called %s %+v", c.Action, c)
		}
	}
	if lists != 6 {
		t.Errorf("%d ListImage calls, want 6: one per query that got past its checks", lists)
	}
}
