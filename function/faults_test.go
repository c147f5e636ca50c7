package main_test

import (
	"net"
	"testing"

	"github.com/image-distributor/image-distributor/internal/appstream/appstreamtest"
	"github.com/image-distributor/image-distributor/internal/sandbox"
)

// TestFaultsThenSuccess: transient faults are retried within the
// invocation and the image still starts exactly once.
func TestFaultsThenSuccess(t *testing.T) {
	for _, tc := range []struct {
		name   string
		script []appstreamtest.Response
	}{
		{"throttled three times", []appstreamtest.Response{appstreamtest.ErrorResponse("Throttling"), appstreamtest.ErrorResponse("Throttling.User"), appstreamtest.ErrorResponse("Throttling.Api")}},
		{"5xx then 503", []appstreamtest.Response{appstreamtest.InternalServerError(), appstreamtest.ErrorResponse("ServiceUnavailable")}},
		{"connection reset", []appstreamtest.Response{{Reset: true}}},
		{"HTML error page", []appstreamtest.Response{{Status: 502, RawBody: "<html><body>502 Bad Gateway</body></html>"}}},
		{"truncated JSON", []appstreamtest.Response{{Status: 200, RawBody: `{"Data":"tid-06xnr5ly`}}},
		{"numeric error code", []appstreamtest.Response{{Status: 503, RawBody: `{"Code":503,"Message":"busy","RequestId":12345}`}}},
		{"HTTP 429 page", []appstreamtest.Response{{Status: 429, RawBody: "<html><body>429 Too Many Requests</body></html>"}}},
		{"success without task", []appstreamtest.Response{{Status: 200, RawBody: `{"Success":true,"Code":200}`}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sb := start(t, nil)
			sb.API.Script(tc.script...)
			r := mustResult(t, invoke(t, sb, readEvent(t, imageEvent)), sb.Logs)
			got := r.Results[0]
			if got.Status != "started" || got.Attempts != len(tc.script)+1 {
				t.Errorf("result = %+v, want started on attempt %d", got, len(tc.script)+1)
			}
			if d := sb.API.Distributed("imgc-0b8xk2m5q7rs90tu"); len(d) != 2 {
				t.Errorf("distributed to %v, want the 2 planned regions", d)
			}
		})
	}
}

func TestConnectionRefused(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	sb := start(t, map[string]string{"APPSTREAM_ENDPOINT": "http://" + addr, "MAX_ATTEMPTS": "2"})
	res := invoke(t, sb, readEvent(t, imageEvent))
	if res.Error == nil || res.Error.ErrorType != "RetryableFailure" {
		t.Fatalf("answer = %s %+v, want RetryableFailure", res.Payload, res.Error)
	}
	waitLog(t, sb.Logs, `"error_code":"NetworkError"`)
}

// TestEverySeedCode drives each code of the API's error table through the
// binary and checks the documented outcome: status, retryable flag, how
// many calls were made and whether FC sees a failure to retry.
func TestEverySeedCode(t *testing.T) {
	outcome := map[string]struct {
		status    string
		retryable bool
	}{
		"ImageDistribute.RepeatedDistribution": {"already-distributed", false},
		"InternalError":                        {"failed", true},
		"CreateDesktopImageRecord.Failed":      {"failed", true},
		"ImageCreateByInstance.TaskExist":      {"deferred", true},
		"ImageRegion.NotConfigured":            {"deferred", true},
		"ParentImageRegionDistribute.NotExist": {"deferred", true},
	}
	for _, code := range appstreamtest.SeedErrorCodes() {
		t.Run(code, func(t *testing.T) {
			want, ok := outcome[code]
			if !ok {
				want.status = "failed" // every other code is permanent
			}
			// One region, so that each answer is about that region alone (see
			// TestRepeatedDistributionStartsTheOtherRegions for several).
			sb := start(t, map[string]string{"MAX_ATTEMPTS": "2", "DESTINATION_REGIONS": "cn-beijing"})
			sb.API.Script(appstreamtest.ErrorResponse(code), appstreamtest.ErrorResponse(code))
			res := invoke(t, sb, readEvent(t, imageEvent))
			wantCalls := 1
			if want.status == "failed" && want.retryable {
				wantCalls = 2
			}
			if n := len(distributeCalls(sb)); n != wantCalls {
				t.Errorf("API calls = %d, want %d", n, wantCalls)
			}
			if want.retryable {
				if res.Error == nil || res.Error.ErrorType != "RetryableFailure" {
					t.Errorf("answer = %s %+v, want RetryableFailure so FC redelivers", res.Payload, res.Error)
				}
				waitLog(t, sb.Logs, `"status":"`+want.status+`"`)
				return
			}
			got := mustResult(t, res, sb.Logs).Results[0]
			if got.Status != want.status || (got.Error != nil && (got.Error.Code != code || got.Error.Retryable)) {
				t.Errorf("result = %+v, want %s", got, want.status)
			}
		})
	}
}

// TestRefusedCredentialsNeverLeak: the gateway's signature error quotes
// the string to sign, STS token included; none of it may reach a log.
func TestRefusedCredentialsNeverLeak(t *testing.T) {
	key := appstreamtest.Credential(sandbox.Credentials)
	key.AccessKeySecret = "another-secret"
	sb := startWith(t, sandbox.Options{APICredential: &key})
	r := mustResult(t, invoke(t, sb, readEvent(t, imageEvent)), sb.Logs)
	if got := r.Results[0]; got.Error == nil || got.Error.Code != "SignatureDoesNotMatch" || got.Error.Retryable {
		t.Errorf("result = %+v, want permanent SignatureDoesNotMatch", got)
	}
	waitLog(t, sb.Logs, "invocation finished")
	// start's cleanup scans every line for the credentials.
}
