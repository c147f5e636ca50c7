package main

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/image-distributor/image-distributor/internal/fctest"
)

const twoImages = `{"results":[` +
	`{"imageId":"imgc-b","destinationRegions":["cn-beijing"],"status":"failed","error":{"code":"InvalidImage.NotFound","message":"no such image","retryable":false}},` +
	`{"imageId":"imgc-a","destinationRegions":["cn-hangzhou","cn-beijing"],"status":"started","taskId":"tid-1","attempts":1}],` +
	`"skipped":[{"eventId":"s/1","reason":"not an image event"}]}`

func httpPayload(t *testing.T, status int, body string, base64Body bool) []byte {
	t.Helper()
	if base64Body {
		body = base64.StdEncoding.EncodeToString([]byte(body))
	}
	b, err := json.Marshal(map[string]any{"statusCode": status, "headers": map[string]string{"Content-Type": "application/json"},
		"isBase64Encoded": base64Body, "body": body})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestReadAnswer(t *testing.T) {
	tests := []struct {
		name          string
		res           fctest.Result
		status, probl string
		shown         []string // in the printed answer
	}{
		{"event result", fctest.Result{Payload: []byte(twoImages)}, "ok", "", []string{`"imageId": "imgc-b"`}},
		{"HTTP 200: the body shown as JSON, not an escaped string", fctest.Result{Payload: httpPayload(t, 200, twoImages, false)},
			"HTTP 200", "", []string{"\"body\": {\n", `"imageId": "imgc-a"`}},
		{"HTTP 200, base64 body", fctest.Result{Payload: httpPayload(t, 200, twoImages, true)}, "HTTP 200", "", []string{`"imageId": "imgc-a"`}},
		{"HTTP 401 error body", fctest.Result{Payload: httpPayload(t, 401, `{"error":{"code":"Unauthorized","message":"token missing"}}`, false)},
			"HTTP 401", "HTTP 401: Unauthorized: token missing", []string{`"code": "Unauthorized"`}},
		{"HTTP 422 with results", fctest.Result{Payload: httpPayload(t, 422, twoImages, false)},
			"HTTP 422", "HTTP 422: imgc-b: InvalidImage.NotFound: no such image", nil},
		{"HTTP 415 body not JSON", fctest.Result{Payload: httpPayload(t, 415, "nope", false)}, "HTTP 415", "HTTP 415: see the answer above", []string{`"body": "nope"`}},
		{"function error", fctest.Result{Error: &fctest.ErrorBody{ErrorType: "InputError", ErrorMessage: "event is not JSON"}},
			"function error", "the function returned an error: InputError: event is not JSON", []string{`"errorType": "InputError"`}},
		{"not JSON at all", fctest.Result{Payload: []byte("hello")}, "ok", "", []string{"hello"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := readAnswer(tc.res)
			if a.status != tc.status || a.problem != tc.probl {
				t.Errorf("readAnswer() status, problem = %q, %q; want %q, %q", a.status, a.problem, tc.status, tc.probl)
			}
			for _, w := range tc.shown {
				if !strings.Contains(string(a.shown), w) {
					t.Errorf("shown answer lacks %q:\n%s", w, a.shown)
				}
			}
		})
	}
}

func TestRows(t *testing.T) {
	logs := []string{
		`{"level":"info","message":"configuration loaded"}`,
		`{"level":"info","image_id":"imgc-a","message":"image started"}`,
		"FC Invoke End RequestId: local-1",
		`{"level":"error","image_id":"imgc-b","message":"image failed"}`,
		`{"level":"error","image_id":"imgc-a","message":"again"}`,
	}
	tests := []struct {
		name   string
		result string
		logs   []string
		want   []row
	}{
		{"in the order of the logs", twoImages, logs, []row{
			{"imgc-a", "started", "cn-hangzhou,cn-beijing", "tid-1", ""},
			{"imgc-b", "failed", "cn-beijing", "", "InvalidImage.NotFound: no such image"}}},
		{"in the result's order without logs", twoImages, nil, []row{
			{"imgc-b", "failed", "cn-beijing", "", "InvalidImage.NotFound: no such image"},
			{"imgc-a", "started", "cn-hangzhou,cn-beijing", "tid-1", ""}}},
		// The per-region shape another change adds; both must work.
		{"per-region results", `{"results":[{"imageId":"imgc-a","status":"started","destinationRegions":["cn-hangzhou","cn-beijing"],` +
			`"regions":[{"region":"cn-hangzhou","status":"started","taskId":"tid-1"},{"region":"cn-beijing","status":"failed","error":"quota"}]}]}`, nil,
			[]row{{"imgc-a", "started", "cn-hangzhou", "tid-1", ""}, {"", "failed", "cn-beijing", "", "quota"}}},
		{"regions of one call share a row", `{"results":[{"imageId":"imgc-a","status":"started","regions":[{"region":"cn-hangzhou","status":"started","taskId":"tid-1"},{"region":"cn-beijing","status":"started","taskId":"tid-1"},{"region":"cn-shenzhen","status":"already-distributed"},{"region":"ap-southeast-1","status":"started","taskId":"tid-2"}]}]}`, nil,
			[]row{{"imgc-a", "started", "cn-hangzhou,cn-beijing", "tid-1", ""}, {"", "already-distributed", "cn-shenzhen", "", ""}, {"", "started", "ap-southeast-1", "tid-2", ""}}},
		{"fields of another type and unknown fields", `{"results":[{"imageId":"imgc-a","status":3,"taskId":null,"destinationRegions":"cn-hangzhou","error":["x"],"new":{"a":1}}],"more":1}`, nil,
			[]row{{"imgc-a", "3", "cn-hangzhou", "", `["x"]`}}},
		{"results of another type", `{"results":{"imageId":"imgc-a"}}`, nil, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := readAnswer(fctest.Result{Payload: []byte(tc.result)})
			if diff := cmp.Diff(tc.want, a.rows(tc.logs), cmp.AllowUnexported(row{})); diff != "" {
				t.Errorf("rows (-want +got):\n%s", diff)
			}
		})
	}
}

func TestSummary(t *testing.T) {
	var b strings.Builder
	readAnswer(fctest.Result{Payload: []byte(twoImages)}).summary(&b, nil)
	want := "IMAGE   STATUS   REGIONS                 TASK ID  ERROR\n" +
		"imgc-b  failed   cn-beijing                       InvalidImage.NotFound: no such image\n" +
		"imgc-a  started  cn-hangzhou,cn-beijing  tid-1    \n" +
		"skipped s/1: not an image event\n"
	if diff := cmp.Diff(want, b.String()); diff != "" {
		t.Errorf("summary (-want +got):\n%s", diff)
	}
	b.Reset()
	readAnswer(fctest.Result{Payload: []byte(`{"results":[{"imageId":"imgc-a","status":"dry-run","destinationRegions":["cn-beijing"]}]}`)}).summary(&b, nil)
	if want := "IMAGE   STATUS   REGIONS\nimgc-a  dry-run  cn-beijing\n"; b.String() != want {
		t.Errorf("summary without task or error = %q, want %q (no empty columns)", b.String(), want)
	}
	b.Reset()
	readAnswer(fctest.Result{Payload: []byte(`{"results":[]}`)}).summary(&b, nil)
	if b.String() != "no images\n" {
		t.Errorf("summary of no results = %q, want %q", b.String(), "no images\n")
	}
}
