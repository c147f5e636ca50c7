package main

import (
	"net/url"
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

func TestEscape(t *testing.T) {
	// openapi-util's Test_GetEncodeParam.
	if got, want := escape("a/b/c/ test"), "a%2Fb%2Fc%2F%20test"; got != want {
		t.Errorf("escape = %q, want %q", got, want)
	}
	if got, want := escape("a*b~c"), "a%2Ab~c"; got != want {
		t.Errorf("escape = %q, want %q", got, want)
	}
}
