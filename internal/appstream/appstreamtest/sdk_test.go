package appstreamtest_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
	sdkerrors "github.com/aliyun/alibaba-cloud-sdk-go/sdk/errors"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/image-distributor/image-distributor/internal/appstream/appstreamtest"
)

var testCred = appstreamtest.Credential{AccessKeyID: "STS.test-ak", AccessKeySecret: "test-secret", SecurityToken: "test-token"}

func newServer(t *testing.T) *appstreamtest.Server {
	t.Helper()
	s := appstreamtest.New(testCred)
	t.Cleanup(s.Close)
	return s
}

// outcome is what one SDK call produced, reduced to what tests compare.
type outcome struct {
	status int
	code   string
	taskID string
	err    error // transport errors only
}

// callSDK sends StartTaskForDistributeImage through the real SDK, signed with c.
func callSDK(t *testing.T, s *appstreamtest.Server, c appstreamtest.Credential, edit func(*requests.CommonRequest), image string, regions ...string) outcome {
	t.Helper()
	client, err := sdk.NewClientWithOptions("cn-shanghai", sdk.NewConfig(),
		credentials.NewStaticSTSCredentialsProvider(c.AccessKeyID, c.AccessKeySecret, c.SecurityToken))
	if err != nil {
		t.Fatalf("NewClientWithOptions: %v", err)
	}
	req := requests.NewCommonRequest()
	req.Method, req.Scheme = requests.POST, "http"
	req.Domain = strings.TrimPrefix(s.URL(), "http://")
	req.Product, req.Version, req.ApiName = "appstream-center", "2021-09-01", "StartTaskForDistributeImage"
	if image != "" {
		req.FormParams["ImageId"] = image
	}
	for i, r := range regions {
		req.FormParams[fmt.Sprintf("DestinationRegionList.%d", i+1)] = r
	}
	if edit != nil {
		edit(req)
	}
	resp, err := client.ProcessCommonRequest(req)
	var se *sdkerrors.ServerError
	if errors.As(err, &se) {
		return outcome{status: se.HttpStatus(), code: se.ErrorCode()}
	}
	if err != nil {
		return outcome{err: err}
	}
	var body struct {
		Data    string
		Success bool
		Code    int
		Message string
	}
	if err := json.Unmarshal(resp.GetHttpContentBytes(), &body); err != nil {
		t.Fatalf("decode %q: %v", resp.GetHttpContentString(), err)
	}
	if !body.Success || body.Code != 200 || body.Message != "success" {
		t.Errorf("success body = %s, want Success true, Code 200, Message success", resp.GetHttpContentString())
	}
	return outcome{status: resp.GetHttpStatus(), taskID: body.Data}
}

func TestSDKDistribute(t *testing.T) {
	wrongSecret := testCred
	wrongSecret.AccessKeySecret = "nope"
	unknownKey := testCred
	unknownKey.AccessKeyID = "STS.unknown"
	wrongToken := testCred
	wrongToken.SecurityToken = "other-token"

	tests := []struct {
		name     string
		cred     appstreamtest.Credential
		preload  []string // regions already distributed for imgc-1
		edit     func(*requests.CommonRequest)
		image    string
		regions  []string
		status   int
		code     string
		rejected bool
	}{
		{name: "success", cred: testCred, image: "imgc-1", regions: []string{"cn-beijing", "cn-hangzhou"}, status: 200},
		{name: "wrong secret", cred: wrongSecret, image: "imgc-1", regions: []string{"cn-beijing"}, status: 400, code: "SignatureDoesNotMatch", rejected: true},
		{name: "unknown key", cred: unknownKey, image: "imgc-1", regions: []string{"cn-beijing"}, status: 404, code: "InvalidAccessKeyId.NotFound", rejected: true},
		{name: "wrong token", cred: wrongToken, image: "imgc-1", regions: []string{"cn-beijing"}, status: 400, code: "InvalidSecurityToken.MismatchWithAccessKey", rejected: true},
		{name: "wrong version", cred: testCred, edit: func(r *requests.CommonRequest) { r.Version = "2020-01-01" }, image: "imgc-1", regions: []string{"cn-beijing"}, status: 400, code: "InvalidVersion", rejected: true},
		{name: "unknown action", cred: testCred, edit: func(r *requests.CommonRequest) { r.ApiName = "DeleteImage" }, image: "imgc-1", regions: []string{"cn-beijing"}, status: 404, code: "InvalidApi.NotFound", rejected: true},
		{name: "repeat", cred: testCred, preload: []string{"cn-beijing"}, image: "imgc-1", regions: []string{"cn-beijing"}, status: 400, code: "ImageDistribute.RepeatedDistribution"},
		{name: "partial repeat rejects all", cred: testCred, preload: []string{"cn-beijing"}, image: "imgc-1", regions: []string{"cn-hangzhou", "cn-beijing"}, status: 400, code: "ImageDistribute.RepeatedDistribution"},
		{name: "no regions", cred: testCred, image: "imgc-1", status: 400, code: "ImageDistribute.TargetDistributeRegionListEmpty"},
		{name: "no image", cred: testCred, regions: []string{"cn-beijing"}, status: 400, code: "MissingImageId"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newServer(t)
			s.MarkDistributed("imgc-1", tc.preload...)
			got := callSDK(t, s, tc.cred, tc.edit, tc.image, tc.regions...)
			if got.err != nil || got.status != tc.status || got.code != tc.code {
				t.Fatalf("distribute = %d %q (err %v), want %d %q", got.status, got.code, got.err, tc.status, tc.code)
			}
			calls, rejected := s.Calls(), s.Rejected()
			if tc.rejected {
				if len(calls) != 0 || len(rejected) != 1 || rejected[0].Code != tc.code {
					t.Fatalf("calls %d, rejected %+v, want only one rejected %q", len(calls), rejected, tc.code)
				}
				return
			}
			if len(calls) != 1 || len(rejected) != 0 {
				t.Fatalf("calls %d, rejected %d, want 1 and 0", len(calls), len(rejected))
			}
			if tc.status == 200 && (!strings.HasPrefix(got.taskID, "tid-") || len(got.taskID) != 21) {
				t.Errorf("task id = %q, want tid- and 17 characters", got.taskID)
			}
			want := appstreamtest.Call{
				Action: "StartTaskForDistributeImage", Version: "2021-09-01", Method: "POST",
				ImageID: tc.image, DestinationRegions: tc.regions,
				AccessKeyID: testCred.AccessKeyID, SecurityToken: testCred.SecurityToken,
				Status: tc.status, Code: tc.code, TaskID: got.taskID,
			}
			ignore := cmpopts.IgnoreFields(appstreamtest.Call{}, "Params", "RequestID", "At")
			if diff := cmp.Diff(want, calls[0], ignore, cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("call mismatch (-want +got):\n%s", diff)
			}
			if p := calls[0].Params; p.Get("SignatureNonce") == "" || p.Get("ImageId") != tc.image || p.Has("Signature") {
				t.Errorf("Params = %v, want signed params without Signature", p)
			}
		})
	}
}

func TestSDKDistributeRecordsRegions(t *testing.T) {
	s := newServer(t)
	s.MarkDistributed("imgc-1", "cn-shanghai")
	if got := callSDK(t, s, testCred, nil, "imgc-1", "cn-hangzhou", "cn-beijing"); got.status != 200 {
		t.Fatalf("distribute = %+v, want 200", got)
	}
	want := []string{"cn-beijing", "cn-hangzhou", "cn-shanghai"}
	if diff := cmp.Diff(want, s.Distributed("imgc-1")); diff != "" {
		t.Errorf("Distributed mismatch (-want +got):\n%s", diff)
	}
}

func TestSDKCallerTimeoutEndsDelay(t *testing.T) {
	s := newServer(t)
	s.Script(appstreamtest.Response{Delay: time.Minute})
	start := time.Now()
	got := callSDK(t, s, testCred, func(r *requests.CommonRequest) { r.SetReadTimeout(100 * time.Millisecond) }, "imgc-1", "cn-beijing")
	if got.err == nil || time.Since(start) > 10*time.Second {
		t.Fatalf("distribute = %+v after %v, want a quick timeout", got, time.Since(start))
	}
	// The handler notices the client left and records an unanswered call.
	deadline := time.Now().Add(5 * time.Second)
	for len(s.Calls()) == 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if calls := s.Calls(); len(calls) != 1 || calls[0].Status != 0 {
		t.Fatalf("Calls() = %+v, want one unanswered call", calls)
	}
	if d := s.Distributed("imgc-1"); len(d) != 0 {
		t.Errorf("Distributed = %v, want none", d)
	}
}
