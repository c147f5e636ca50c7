package appstreamtest_test

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"

	"github.com/image-distributor/image-distributor/internal/appstream/appstreamtest"
)

const distribute = "StartTaskForDistributeImage"

// sent is an answer as it came off the wire.
type sent struct {
	status int // 0: no answer
	body   string
}

// capture keeps the raw answer and hands the SDK an empty body, whose
// error parser would panic on some of the bodies the injector sends.
type capture struct{ got *sent }

func (c capture) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := http.DefaultTransport.RoundTrip(r)
	if err != nil {
		return nil, err
	}
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	*c.got = sent{resp.StatusCode, string(b)}
	resp.Body = io.NopCloser(bytes.NewReader(nil))
	return resp, nil
}

// sendRaw makes one signed call of action with form and returns its raw
// answer; timeout 0 means the SDK's default.
func sendRaw(t *testing.T, s *appstreamtest.Server, action string, form map[string]string, timeout time.Duration) sent {
	t.Helper()
	var got sent
	cfg := sdk.NewConfig()
	cfg.Transport = capture{&got}
	client, err := sdk.NewClientWithOptions("cn-shanghai", cfg,
		credentials.NewStaticSTSCredentialsProvider(testCred.AccessKeyID, testCred.AccessKeySecret, testCred.SecurityToken))
	if err != nil {
		t.Fatal(err)
	}
	req := requests.NewCommonRequest()
	req.Method, req.Scheme = requests.POST, "http"
	req.Domain = strings.TrimPrefix(s.URL(), "http://")
	req.Product, req.Version, req.ApiName = "appstream-center", "2021-09-01", action
	for k, v := range form {
		req.FormParams[k] = v
	}
	if timeout > 0 {
		req.SetReadTimeout(timeout)
	}
	_, _ = client.ProcessCommonRequest(req)
	return got
}

// distributeTo sends StartTaskForDistributeImage for image to regions.
func distributeTo(t *testing.T, s *appstreamtest.Server, image string, regions ...string) sent {
	t.Helper()
	form := map[string]string{"ImageId": image}
	for i, r := range regions {
		form[fmt.Sprintf("DestinationRegionList.%d", i+1)] = r
	}
	return sendRaw(t, s, distribute, form, 0)
}

// only injects fault f into every call of action.
func only(action string, f appstreamtest.Fault) appstreamtest.Faults {
	return appstreamtest.Faults{Seed: 1, SlowDelay: time.Minute,
		Actions: map[string]appstreamtest.FaultPlan{action: {Rate: 1, Weights: map[appstreamtest.Fault]int{f: 1}}}}
}

// TestEachFault: every fault is reachable, answers as documented, and runs
// the action exactly when it says so.
func TestEachFault(t *testing.T) {
	tests := []struct {
		fault  appstreamtest.Fault
		status int    // 0: connection reset or client timeout
		body   string // a part the body must hold
		copied bool
	}{
		{appstreamtest.FaultThrottling, 400, `"Code":"Throttling.User"`, false},
		{appstreamtest.FaultTooManyRequests, 429, "", false},
		{appstreamtest.FaultUnavailable, 503, `"Code":"ServiceUnavailable"`, false},
		{appstreamtest.FaultServerError, 500, `"Code":"InternalError"`, false},
		{appstreamtest.FaultReset, 0, "", false},
		{appstreamtest.FaultLostReply, 0, "", true},
		{appstreamtest.FaultTruncated, 200, `{"Data":"tid-`, true},
		{appstreamtest.FaultNumericCode, 503, `"Code":503`, false},
		{appstreamtest.FaultNumericRequestID, 200, `"RequestId":12345`, true},
		{appstreamtest.FaultNoData, 200, `"Success":true`, true},
		{appstreamtest.FaultHTML, 502, "<html>", false},
		{appstreamtest.FaultSlow, 0, "", true}, // the client gives up first
	}
	if len(tests) != len(appstreamtest.AllFaults()) {
		t.Fatalf("%d cases for %d faults", len(tests), len(appstreamtest.AllFaults()))
	}
	for _, tc := range tests {
		t.Run(string(tc.fault), func(t *testing.T) {
			s := newServer(t)
			s.InjectFaults(only(distribute, tc.fault))
			form := map[string]string{"ImageId": "imgc-1", "DestinationRegionList.1": "cn-beijing"}
			timeout := time.Duration(0)
			if tc.fault == appstreamtest.FaultSlow {
				timeout = 200 * time.Millisecond // against a SlowDelay of a minute
			}
			got := sendRaw(t, s, distribute, form, timeout)
			if got.status != tc.status || !strings.Contains(got.body, tc.body) {
				t.Fatalf("answer = %d %q, want %d holding %q", got.status, got.body, tc.status, tc.body)
			}
			if tc.fault == appstreamtest.FaultTruncated && strings.HasSuffix(got.body, "}") {
				t.Errorf("body %q is whole, want it cut", got.body)
			}
			if tc.fault == appstreamtest.FaultNoData && strings.Contains(got.body, `"Data"`) {
				t.Errorf("body %q has Data", got.body)
			}
			if s.Holds("imgc-1", "cn-beijing") != tc.copied || (len(s.IssuedTaskIDs()) == 1) != tc.copied {
				t.Errorf("copy recorded %v, task IDs %v, want copied %v", s.Holds("imgc-1", "cn-beijing"), s.IssuedTaskIDs(), tc.copied)
			}
			want := map[appstreamtest.Injection]int{{Action: distribute, Fault: tc.fault}: 1}
			if got := s.Injected(); fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("Injected() = %v, want %v", got, want)
			}
			if calls := waitCalls(t, s, 1); calls[0].Fault != tc.fault {
				t.Errorf("Call.Fault = %q, want %q", calls[0].Fault, tc.fault)
			}
		})
	}
}

// waitCalls waits for n recorded calls: a call whose client left is
// recorded only once the server notices.
func waitCalls(t *testing.T, s *appstreamtest.Server, n int) []appstreamtest.Call {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for len(s.Calls()) < n && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	calls := s.Calls()
	if len(calls) != n {
		t.Fatalf("Calls() = %d, want %d", len(calls), n)
	}
	return calls
}
