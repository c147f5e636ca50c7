package appstreamtest_test

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/image-distributor/image-distributor/internal/appstream/appstreamtest"
)

// signedRequest builds a request by hand, independently of the SDK: common
// params in the query, API params in the form body, all of them signed.
func signedRequest(t *testing.T, srv *appstreamtest.Server, secret string, edit func(q, form url.Values)) *http.Request {
	t.Helper()
	q := url.Values{
		"AccessKeyId": {testCred.AccessKeyID}, "Action": {"StartTaskForDistributeImage"},
		"Format": {"JSON"}, "RegionId": {"cn-shanghai"}, "SecurityToken": {testCred.SecurityToken},
		"SignatureMethod": {"HMAC-SHA1"}, "SignatureNonce": {"nonce-1"}, "SignatureType": {""},
		"SignatureVersion": {"1.0"}, "Timestamp": {time.Now().UTC().Format("2006-01-02T15:04:05Z")},
		"Version": {"2021-09-01"},
	}
	form := url.Values{"ImageId": {"imgc-1"}, "DestinationRegionList.1": {"cn-beijing"}}
	if edit != nil {
		edit(q, form)
	}
	all := url.Values{}
	for _, vs := range []url.Values{q, form} {
		for k, v := range vs {
			all[k] = v
		}
	}
	pe := strings.NewReplacer("+", "%20", "*", "%2A", "%7E", "~")
	canonical := pe.Replace(all.Encode())
	mac := hmac.New(sha1.New, []byte(secret+"&"))
	mac.Write([]byte("POST&%2F&" + url.QueryEscape(canonical)))
	q.Set("Signature", base64.StdEncoding.EncodeToString(mac.Sum(nil)))
	req, err := http.NewRequest(http.MethodPost, srv.URL()+"/?"+q.Encode(), strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return req
}

// send posts req and decodes the gateway-style answer.
func send(t *testing.T, req *http.Request) (int, map[string]any) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	var body map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatalf("decode body: %v", err)
	}
	return resp.StatusCode, body
}

func TestHandCraftedRequests(t *testing.T) {
	old := time.Now().Add(-20 * time.Minute).UTC().Format("2006-01-02T15:04:05Z")
	tests := []struct {
		name     string
		secret   string
		edit     func(q, form url.Values)
		tamper   func(*http.Request)
		status   int
		code     string
		rejected bool
	}{
		{name: "valid", status: 200},
		{name: "expired timestamp", edit: func(q, _ url.Values) { q.Set("Timestamp", old) }, status: 400, code: "InvalidTimeStamp.Expired", rejected: true},
		{name: "malformed timestamp", edit: func(q, _ url.Values) { q.Set("Timestamp", "yesterday") }, status: 400, code: "InvalidTimeStamp.Format", rejected: true},
		{name: "missing token", edit: func(q, _ url.Values) { q.Del("SecurityToken") }, status: 400, code: "MissingSecurityToken", rejected: true},
		{name: "sha256 method", edit: func(q, _ url.Values) { q.Set("SignatureMethod", "HMAC-SHA256") }, status: 400, code: "InvalidSignatureMethod", rejected: true},
		{name: "xml format", edit: func(q, _ url.Values) { q.Set("Format", "XML") }, status: 400, code: "InvalidFormat", rejected: true},
		{name: "no nonce", edit: func(q, _ url.Values) { q.Del("SignatureNonce") }, status: 400, code: "MissingSignatureNonce", rejected: true},
		{name: "wrong secret", secret: "nope", status: 400, code: "SignatureDoesNotMatch", rejected: true},
		{name: "body tampered after signing", tamper: func(r *http.Request) {
			r.Body = http.NoBody
			r.ContentLength = 0
		}, status: 400, code: "SignatureDoesNotMatch", rejected: true},
		{name: "GET", tamper: func(r *http.Request) { r.Method = http.MethodGet }, status: 400, code: "UnsupportedHTTPMethod", rejected: true},
		{name: "ROA path", tamper: func(r *http.Request) { r.URL.Path = "/images" }, status: 404, code: "InvalidApi.NotFound", rejected: true},
		{name: "gap in region list", edit: func(_, f url.Values) {
			f.Del("DestinationRegionList.1")
			f.Set("DestinationRegionList.2", "cn-beijing")
		}, status: 200},
	}
	requestID := regexp.MustCompile(`^[0-9A-F]{8}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{12}$`)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newServer(t)
			secret := testCred.AccessKeySecret
			if tc.secret != "" {
				secret = tc.secret
			}
			req := signedRequest(t, s, secret, tc.edit)
			if tc.tamper != nil {
				tc.tamper(req)
			}
			status, body := send(t, req)
			if code, _ := body["Code"].(string); status != tc.status || code != tc.code {
				t.Fatalf("%s = %d %v, want %d %q", tc.name, status, body, tc.status, tc.code)
			}
			if !requestID.MatchString(body["RequestId"].(string)) {
				t.Errorf("RequestId = %q, want uppercase UUID", body["RequestId"])
			}
			if tc.code != "" && (body["HostId"] != "appstream-center.cn-shanghai.aliyuncs.com" ||
				!strings.HasPrefix(body["Recommend"].(string), "https://api.aliyun.com/troubleshoot?q="+tc.code)) {
				t.Errorf("error body = %v, want gateway HostId and Recommend", body)
			}
			if got := len(s.Rejected()) == 1; got != tc.rejected {
				t.Errorf("rejected = %v, want %v", got, tc.rejected)
			}
		})
	}
}

func TestNonceReuse(t *testing.T) {
	s := newServer(t)
	for i, want := range []string{"", "SignatureNonceUsed"} {
		// Different images, same nonce: only the nonce makes the second fail.
		image := []string{"imgc-1", "imgc-2"}[i]
		req := signedRequest(t, s, testCred.AccessKeySecret, func(_, f url.Values) { f.Set("ImageId", image) })
		if _, body := send(t, req); body["Code"] != want && !(want == "" && body["Success"] == true) {
			t.Fatalf("request %d = %v, want %q", i, body, want)
		}
	}
	if len(s.Calls()) != 1 || len(s.Rejected()) != 1 {
		t.Errorf("calls %d, rejected %d, want 1 and 1", len(s.Calls()), len(s.Rejected()))
	}
}
