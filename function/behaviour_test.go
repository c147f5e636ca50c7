package main_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/image-distributor/image-distributor/internal/appstream/appstreamtest"
	"github.com/image-distributor/image-distributor/internal/fctest"
	"github.com/image-distributor/image-distributor/internal/sandbox"
)

const imageEvent = "eventbridge-image-data.json"

// Duplicates in sequence find the first delivery's success in the
// instance's memory and make no call. Concurrent ones are not coordinated:
// each may call, and the API's RepeatedDistribution answer keeps them from
// copying twice.
func TestDuplicateEventsCopyOnce(t *testing.T) {
	for _, tc := range []struct {
		name       string
		concurrent bool
	}{
		{"in sequence", false},
		{"concurrently", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sb := start(t, nil)
			ev := readEvent(t, imageEvent)
			results := make([]fctest.Result, 4)
			var wg sync.WaitGroup
			for i := range results {
				if !tc.concurrent {
					results[i] = invoke(t, sb, ev)
					continue
				}
				wg.Go(func() { results[i] = invoke(t, sb, ev) })
			}
			wg.Wait()
			if started := countStarted(t, results, sb.Logs); started != 1 {
				t.Errorf("%d deliveries reported started, want exactly 1", started)
			}
			copies := map[string]int{}
			for _, c := range distributeCalls(sb) {
				for _, r := range c.DestinationRegions {
					if c.TaskID != "" {
						copies[r]++
					}
				}
			}
			if len(copies) != 2 || copies["cn-beijing"] != 1 || copies["ap-southeast-1"] != 1 {
				t.Errorf("copies started per region = %v, want one in each of the 2 planned regions", copies)
			}
			if n := len(distributeCalls(sb)); !tc.concurrent && n != 1 {
				t.Errorf("API received %d distribute calls, want 1: later deliveries find the first in memory", n)
			}
		})
	}
}

// A second instance, which has no memory of the first delivery, must still
// not fail: the API's RepeatedDistribution answer is a success.
func TestRedeliveryToFreshInstanceIsSuccess(t *testing.T) {
	sb := start(t, nil)
	sb.API.MarkDistributed("imgc-0b8xk2m5q7rs90tu", "cn-beijing", "ap-southeast-1")
	r := mustResult(t, invoke(t, sb, readEvent(t, imageEvent)), sb.Logs)
	if got := r.Results[0]; got.Status != "already-distributed" || got.Error != nil {
		t.Errorf("result = %+v, want already-distributed without error", got)
	}
}

// The stand-in refuses a whole call when any region already has a copy, so
// RepeatedDistribution for several regions says nothing of the others:
// each is asked on its own, and each reports its own outcome.
func TestRepeatedDistributionStartsTheOtherRegions(t *testing.T) {
	sb := start(t, map[string]string{"DESTINATION_REGIONS": "cn-beijing,cn-shenzhen,ap-southeast-1"})
	sb.API.MarkDistributed("imgc-0b8xk2m5q7rs90tu", "cn-shenzhen")
	r := mustResult(t, invoke(t, sb, readEvent(t, imageEvent)), sb.Logs)
	issued := map[string]string{} // region → task the stand-in issued
	for _, c := range distributeCalls(sb) {
		if c.TaskID != "" && len(c.DestinationRegions) == 1 {
			issued[c.DestinationRegions[0]] = c.TaskID
		}
	}
	got := r.Results[0]
	want := []regionResult{
		{Region: "cn-beijing", Status: "started", TaskID: issued["cn-beijing"]},
		{Region: "cn-shenzhen", Status: "already-distributed"},
		{Region: "ap-southeast-1", Status: "started", TaskID: issued["ap-southeast-1"]},
	}
	if diff := cmp.Diff(want, got.Regions); diff != "" || len(issued) != 2 {
		t.Errorf("regions (-want +got):\n%s\nstand-in issued %v", diff, issued)
	}
	if got.Status != "started" {
		t.Errorf("image status %s, want started", got.Status)
	}
	if d := sb.API.Distributed("imgc-0b8xk2m5q7rs90tu"); fmt.Sprint(d) != "[ap-southeast-1 cn-beijing cn-shenzhen]" {
		t.Errorf("stand-in holds %v, want all three regions", d)
	}
	waitLog(t, sb.Logs, "invocation finished")
	lines := logLines(sb.Logs, "image_id", "imgc-0b8xk2m5q7rs90tu")
	if len(lines) != 1 || !strings.Contains(fmt.Sprint(lines[0]["regions"]), "region:cn-shenzhen status:already-distributed") {
		t.Errorf("want one log line with each region's outcome, got %v", lines)
	}
}

func TestThrottlingThenSuccess(t *testing.T) {
	sb := start(t, nil)
	sb.API.Script(appstreamtest.ErrorResponse("Throttling.User"), appstreamtest.ErrorResponse("ServiceUnavailable"))
	r := mustResult(t, invoke(t, sb, readEvent(t, imageEvent)), sb.Logs)
	got := r.Results[0]
	if got.Status != "started" || got.Attempts != 3 || got.TaskID == "" {
		t.Errorf("result = %+v, want started on attempt 3", got)
	}
	calls := distributeCalls(sb)
	if len(calls) != 3 || calls[2].TaskID != got.TaskID {
		t.Errorf("API calls = %d (last task %q), want 3 ending in %q", len(calls), calls[len(calls)-1].TaskID, got.TaskID)
	}
}

func TestPermanentErrorReportedOnce(t *testing.T) {
	sb := start(t, nil)
	sb.API.Script(appstreamtest.ErrorResponse("ImageDistribute.ImageNotSupport"))
	r := mustResult(t, invoke(t, sb, readEvent(t, imageEvent)), sb.Logs)
	got := r.Results[0]
	if got.Status != "failed" || got.Error == nil || got.Error.Code != "ImageDistribute.ImageNotSupport" || got.Error.Retryable || got.Attempts != 1 {
		t.Errorf("result = %+v, want failed, permanent, after 1 attempt", got)
	}
	if n := len(distributeCalls(sb)); n != 1 {
		t.Errorf("API received %d calls, want 1: a permanent error is not retried", n)
	}
	waitLog(t, sb.Logs, "invocation finished")
	lines := logLines(sb.Logs, "status", "failed")
	if len(lines) != 1 || lines[0]["level"] != "error" || lines[0]["error_code"] != "ImageDistribute.ImageNotSupport" {
		t.Errorf("want one error-level log line for the failure, got %v", lines)
	}
}

func TestRetryableFailureFailsInvocation(t *testing.T) {
	sb := start(t, map[string]string{"MAX_ATTEMPTS": "2"})
	sb.API.Script(appstreamtest.ErrorResponse("Throttling"), appstreamtest.ErrorResponse("Throttling"), appstreamtest.ErrorResponse("Throttling"))
	res := invoke(t, sb, readEvent(t, imageEvent))
	if res.Error == nil || res.Error.ErrorType != "RetryableFailure" {
		t.Fatalf("answer = %s %+v, want an error of type RetryableFailure so FC retries", res.Payload, res.Error)
	}
	if n := len(distributeCalls(sb)); n != 2 {
		t.Errorf("API received %d calls, want MAX_ATTEMPTS=2", n)
	}
}

func TestSlowAPIAnswersBeforeDeadline(t *testing.T) {
	sb := startWith(t, sandbox.Options{Timeout: 3 * time.Second})
	sb.API.SetLatency(10 * time.Second)
	res := invoke(t, sb, readEvent(t, imageEvent))
	if res.Error == nil || res.Error.ErrorType != "RetryableFailure" {
		t.Fatalf("answer = %s %+v, want RetryableFailure before the deadline", res.Payload, res.Error)
	}
	if res.Duration >= 3*time.Second {
		t.Errorf("function answered after %v, past its 3s deadline", res.Duration)
	}
}

func TestHTTPRequests(t *testing.T) {
	for _, tc := range []struct {
		name, method, auth, body string
		base64                   bool
		wantStatus               int
		wantCode                 string
	}{
		{"not JSON", "POST", "local-test-token", `{"imageId":`, false, 400, "InvalidRequest"},
		{"bad image ID", "POST", "local-test-token", `{"imageId":"m-123; rm -rf /"}`, false, 400, "InvalidRequest"},
		{"bad region", "POST", "local-test-token", `{"imageId":"imgc-abc","destinationRegions":["../../etc"]}`, false, 400, "InvalidRequest"},
		{"wrong field type", "POST", "local-test-token", `{"imageId":"imgc-abc","destinationRegions":"cn-hangzhou"}`, false, 400, "InvalidRequest"},
		{"unknown field", "POST", "local-test-token", `{"imageId":"imgc-abc","destinationRegion":["cn-hangzhou"]}`, false, 400, "InvalidRequest"},
		{"region not allowed", "POST", "local-test-token", `{"imageId":"imgc-abc","destinationRegions":["us-west-1"]}`, false, 422, "RegionNotAllowed"},
		{"oversized", "POST", "local-test-token", `{"imageId":"imgc-abc","x":"` + strings.Repeat("a", 70<<10) + `"}`, false, 413, "BodyTooLarge"},
		{"PUT", "PUT", "local-test-token", ``, false, 405, "MethodNotAllowed"},
		{"no token", "POST", "", `{"imageId":"imgc-abc"}`, false, 401, "Unauthorized"},
		{"wrong token", "POST", "guess", `{"imageId":"imgc-abc"}`, false, 401, "Unauthorized"},
		{"base64 body", "POST", "local-test-token", "eyJpbWFnZUlkIjoiaW1nYy1hYmMifQ==", true, 200, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sb := start(t, nil)
			ev, _ := json.Marshal(map[string]any{
				"version": "v1", "rawPath": "/", "body": tc.body, "isBase64Encoded": tc.base64,
				"headers":        map[string]string{"X-Distributor-Token": tc.auth, "Content-Type": "application/json"},
				"requestContext": map[string]any{"http": map[string]string{"method": tc.method, "path": "/", "sourceIp": "203.0.113.1"}},
			})
			body := httpBody(t, invoke(t, sb, ev).Payload, tc.wantStatus)
			var e struct{ Error struct{ Code string } }
			var r result
			json.Unmarshal(body, &e)
			json.Unmarshal(body, &r)
			if tc.wantCode != "" && e.Error.Code != tc.wantCode && (len(r.Results) == 0 || r.Results[0].Error == nil || r.Results[0].Error.Code != tc.wantCode) {
				t.Errorf("body %s, want error code %s", body, tc.wantCode)
			}
			wantCalls := 0
			if tc.wantStatus == 200 {
				wantCalls = 1
			}
			if n := len(distributeCalls(sb)); n != wantCalls {
				t.Errorf("API received %d calls, want %d", n, wantCalls)
			}
		})
	}
}

// TestBadConfigFailsFast: a bad setting stops the instance at cold start
// with a message naming the variable. DEBUG=sdk is one: it would make the
// SDK print every signed URL, token included, and start's cleanup scans
// what the function printed for the credentials.
func TestBadConfigFailsFast(t *testing.T) {
	for _, tc := range []struct{ name, value string }{
		{"DESTINATION_REGIONS", "cn-hangzhou,Mars-1"},
		{"DEBUG", "tea,sdk"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sb := start(t, map[string]string{tc.name: tc.value})
			select {
			case <-sb.Proc.Exited():
			case <-time.After(10 * time.Second):
				t.Fatalf("function kept running with %s=%s", tc.name, tc.value)
			}
			if !strings.Contains(sb.Logs.String(), tc.name) {
				t.Errorf("output does not name %s:\n%s", tc.name, sb.Logs.String())
			}
		})
	}
}
