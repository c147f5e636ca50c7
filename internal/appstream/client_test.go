package appstream_test

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/image-distributor/image-distributor/internal/appstream"
	"github.com/image-distributor/image-distributor/internal/appstream/appstreamtest"
	"github.com/image-distributor/image-distributor/internal/config"
)

var testCreds = config.Credentials{
	AccessKeyID:     "STS.testKeyID",
	AccessKeySecret: "test-secret/with+chars=",
	SecurityToken:   "CAIS-test-token+/=abc",
}

func newClient(t *testing.T) (*appstream.Client, *appstreamtest.Server) {
	t.Helper()
	srv := appstreamtest.New(appstreamtest.Credential{AccessKeyID: testCreds.AccessKeyID,
		AccessKeySecret: testCreds.AccessKeySecret.Reveal(), SecurityToken: testCreds.SecurityToken.Reveal()})
	t.Cleanup(srv.Close)
	ep, err := config.ParseEndpoint(srv.URL())
	if err != nil {
		t.Fatal(err)
	}
	return appstream.New(ep), srv
}

var dist = appstream.Distribution{ImageID: "imgc-abc123", VersionID: "iv-def456", ProductType: "CloudDesktop",
	SourceRegion: "cn-shanghai", Regions: []string{"cn-hangzhou", "cn-beijing"}}

func TestDistributeSendsEveryParameter(t *testing.T) {
	c, srv := newClient(t)
	got, err := c.Distribute(context.Background(), testCreds, dist)
	if err != nil {
		t.Fatalf("Distribute() error = %v", err)
	}
	calls := srv.Calls()
	if len(calls) != 1 {
		t.Fatalf("server saw %d calls, want 1", len(calls))
	}
	call := calls[0]
	want := appstreamtest.Call{Action: "StartTaskForDistributeImage", Version: "2021-09-01", Method: "POST",
		ImageID: dist.ImageID, VersionID: dist.VersionID, ProductType: dist.ProductType, SourceRegion: dist.SourceRegion,
		DestinationRegions: dist.Regions, AccessKeyID: testCreds.AccessKeyID, SecurityToken: testCreds.SecurityToken.Reveal()}
	if diff := cmp.Diff(want, call, cmp.FilterPath(func(p cmp.Path) bool {
		switch p.Last().String() {
		case ".Params", ".Status", ".Code", ".TaskID", ".RequestID", ".At":
			return true
		}
		return false
	}, cmp.Ignore())); diff != "" {
		t.Errorf("call (-want +got):\n%s", diff)
	}
	if got.TaskID != call.TaskID || got.RequestID != call.RequestID || !strings.HasPrefix(got.TaskID, "tid-") {
		t.Errorf("Distribute() = %+v, want task %s request %s", got, call.TaskID, call.RequestID)
	}
	if call.Params.Has("RetryType") {
		t.Error("RetryType is not public and must not be sent")
	}
}

func TestDistributeClassifiesErrors(t *testing.T) {
	cases := []struct {
		name     string
		resp     appstreamtest.Response
		wantCode string
		want     appstream.Class
	}{
		{"repeated", appstreamtest.ErrorResponse("ImageDistribute.RepeatedDistribution"), "ImageDistribute.RepeatedDistribution", appstream.AlreadyDone},
		{"throttling", appstreamtest.ErrorResponse("Throttling.User"), "Throttling.User", appstream.Retryable},
		{"unavailable", appstreamtest.ErrorResponse("ServiceUnavailable"), "ServiceUnavailable", appstream.Retryable},
		{"gateway 500", appstreamtest.InternalServerError(), "InternalError", appstream.Retryable},
		{"html 502", appstreamtest.Response{Status: 502, RawBody: "<html>bad gateway</html>"}, appstream.CodeMalformed, appstream.Retryable},
		{"html 400", appstreamtest.Response{Status: 400, RawBody: "<html>bad</html>"}, appstream.CodeMalformed, appstream.Permanent},
		// A numeric code is read as the code it is: 400 is unknown, so permanent.
		{"numeric code", appstreamtest.Response{Status: 400, RawBody: `{"Code":400,"Message":"x"}`}, "400", appstream.Permanent},
		{"truncated 200", appstreamtest.Response{Status: 200, RawBody: `{"Data":"tid-`}, appstream.CodeMalformed, appstream.Retryable},
		{"200 no task", appstreamtest.Response{Status: 200, RawBody: `{"Success":true,"RequestId":"R"}`}, appstream.CodeMalformed, appstream.Retryable},
		{"200 not success", appstreamtest.Response{Status: 200, RawBody: `{"Success":false,"Code":"Image.NotExist","Message":"no"}`}, "Image.NotExist", appstream.Permanent},
		{"reset", appstreamtest.Response{Reset: true}, appstream.CodeNetwork, appstream.Retryable},
		{"forbidden", appstreamtest.ErrorResponse("Forbidden.RAM"), "Forbidden.RAM", appstream.Permanent},
		{"expired token", appstreamtest.ErrorResponse("InvalidSecurityToken.Expired"), "InvalidSecurityToken.Expired", appstream.Deferred},
		{"unknown 400", appstreamtest.ErrorResponse("Something.New"), "Something.New", appstream.Permanent},
	}
	for _, code := range appstreamtest.SeedErrorCodes() {
		cases = append(cases, struct {
			name     string
			resp     appstreamtest.Response
			wantCode string
			want     appstream.Class
		}{"seed " + code, appstreamtest.ErrorResponse(code), code, appstream.Classify(code, 400)})
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, srv := newClient(t)
			srv.Script(tc.resp)
			_, err := c.Distribute(context.Background(), testCreds, dist)
			var ae *appstream.Error
			if !errors.As(err, &ae) {
				t.Fatalf("Distribute() error = %v, want *appstream.Error", err)
			}
			if ae.Code != tc.wantCode || ae.Class != tc.want {
				t.Errorf("Distribute() error = %s/%v, want %s/%v (%v)", ae.Code, ae.Class, tc.wantCode, tc.want, err)
			}
			assertClean(t, err)
		})
	}
}

// TestSeedCodesAreClassified fails when a code of the API's error table has
// no deliberate class: the default would hide a decision nobody made.
func TestSeedCodesAreClassified(t *testing.T) {
	want := map[string]appstream.Class{
		"ImageDistribute.RepeatedDistribution": appstream.AlreadyDone,
		"InternalError":                        appstream.Retryable,
		"CreateDesktopImageRecord.Failed":      appstream.Retryable,
		"ImageCreateByInstance.TaskExist":      appstream.Deferred,
		"ImageRegion.NotConfigured":            appstream.Deferred,
		"ParentImageRegionDistribute.NotExist": appstream.Deferred,
	}
	for _, code := range appstreamtest.SeedErrorCodes() {
		w, ok := want[code]
		if !ok {
			w = appstream.Permanent
		}
		if got := appstream.Classify(code, 400); got != w {
			t.Errorf("Classify(%q, 400) = %v, want %v", code, got, w)
		}
	}
}

func TestWrongSecretIsPermanentAndRedacted(t *testing.T) {
	c, _ := newClient(t)
	bad := testCreds
	bad.AccessKeySecret = "wrong-secret"
	_, err := c.Distribute(context.Background(), bad, dist)
	var ae *appstream.Error
	if !errors.As(err, &ae) || ae.Code != "SignatureDoesNotMatch" || ae.Class != appstream.Permanent {
		t.Fatalf("Distribute() error = %v, want permanent SignatureDoesNotMatch", err)
	}
	assertClean(t, err)
}

func TestTransportFailures(t *testing.T) {
	t.Run("connection refused", func(t *testing.T) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		addr := ln.Addr().String()
		ln.Close()
		ep, _ := config.ParseEndpoint("http://" + addr)
		_, err = appstream.New(ep).Distribute(context.Background(), testCreds, dist)
		assertCode(t, err, appstream.CodeNetwork, appstream.Retryable)
	})
	t.Run("slower than the deadline", func(t *testing.T) {
		c, srv := newClient(t)
		srv.SetLatency(5 * time.Second)
		ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
		defer cancel()
		start := time.Now()
		_, err := c.Distribute(ctx, testCreds, dist)
		assertCode(t, err, appstream.CodeTimeout, appstream.Retryable)
		if time.Since(start) > 3*time.Second {
			t.Errorf("Distribute returned after %v, long past the context deadline", time.Since(start))
		}
	})
	t.Run("deadline already passed", func(t *testing.T) {
		c, srv := newClient(t)
		ctx, cancel := context.WithTimeout(context.Background(), -time.Second)
		defer cancel()
		_, err := c.Distribute(ctx, testCreds, dist)
		assertCode(t, err, appstream.CodeDeadline, appstream.Retryable)
		if n := len(srv.Calls()); n != 0 {
			t.Errorf("server saw %d calls, want none", n)
		}
	})
	t.Run("no credentials", func(t *testing.T) {
		c, _ := newClient(t)
		_, err := c.Distribute(context.Background(), config.Credentials{}, dist)
		assertCode(t, err, appstream.CodeNoCredentials, appstream.Permanent)
	})
	t.Run("no regions", func(t *testing.T) {
		c, srv := newClient(t)
		d := dist
		d.Regions = nil
		_, err := c.Distribute(context.Background(), testCreds, d)
		assertCode(t, err, "ImageDistribute.TargetDistributeRegionListEmpty", appstream.Permanent)
		if n := len(srv.Calls()); n != 0 {
			t.Errorf("server saw %d calls, want none", n)
		}
	})
}

func assertCode(t *testing.T, err error, code string, class appstream.Class) {
	t.Helper()
	var ae *appstream.Error
	if !errors.As(err, &ae) || ae.Code != code || ae.Class != class {
		t.Fatalf("error = %v, want %s (%v)", err, code, class)
	}
	assertClean(t, err)
}

// assertClean fails if an error's text carries a credential in any form.
func assertClean(t *testing.T, err error) {
	t.Helper()
	msg := err.Error()
	for _, s := range []string{testCreds.AccessKeySecret.Reveal(), testCreds.SecurityToken.Reveal(), "CAIS-test-token", "Signature=", "SecurityToken="} {
		if strings.Contains(msg, s) {
			t.Errorf("error text %q contains %q", msg, s)
		}
	}
}
