package main

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestAuthorizationKnownAnswer signs the request of openapi-util's own
// Test_GetAuthorization (github.com/alibabacloud-go/openapi-util,
// service/service_test.go) and expects its published answer: the signer
// FC's guide names for Go, reproduced without adding it as a dependency.
func TestAuthorizationKnownAnswer(t *testing.T) {
	query := url.Values{"test": {"ok"}, "empty": {""}}
	headers := map[string][]string{"x-acs-test": {"http", "https"}}
	got := authorization("", "", query, headers, "55e12e91650d2fec56ec74e1d3e4ddbfce2ef3a65890c2a19ecf88a307e76a23",
		Credential{AccessKeyID: "acesskey", AccessKeySecret: "secret"})
	want := "ACS3-HMAC-SHA256 Credential=acesskey,SignedHeaders=x-acs-test,Signature=4ab59fffe3c5738ff8a2729f90cc04fe18b02a4b15b2102cbaf92f9ff3df2ea3"
	if got != want {
		t.Errorf("authorization = %s\nwant            %s", got, want)
	}
}

// TestFCGuideExample signs the request of FC's guide "Configure signature
// authentication for HTTP triggers" (POST https://xx.cn-shanghai.fcapp.run/hello?foo=bar,
// body "hello world") the way its example does, with fixed credentials,
// date and a JSON content type, and expects the signature an independent
// implementation publishes for that same request (inferred cross-check,
// not an Alibaba Cloud vector).
func TestFCGuideExample(t *testing.T) {
	req, err := http.NewRequest(http.MethodPost, "https://xx.cn-shanghai.fcapp.run/hello?foo=bar", strings.NewReader("hello world"))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	sign(req, Credential{"testid", "testsecret", "ram-token"}, "2026-08-03T01:02:03Z")
	want := "ACS3-HMAC-SHA256 Credential=testid,SignedHeaders=content-type;x-acs-date;x-acs-security-token," +
		"Signature=e85a61d8ac3b1e0fd94f9c7e747668ad95794edffb52137947195c40b484c855"
	if got := req.Header.Get("Authorization"); got != want {
		t.Errorf("Authorization = %s\nwant            %s", got, want)
	}
}

func TestEscape(t *testing.T) {
	// openapi-util's Test_GetEncodeParam.
	if got, want := escape("a/b/c/ test"), "a%2Fb%2Fc%2F%20test"; got != want {
		t.Errorf("escape = %q, want %q", got, want)
	}
	if got, want := escape("a*b~c"), "a%2Ab~c"; got != want {
		t.Errorf("escape = %q, want %q", got, want)
	}
}
