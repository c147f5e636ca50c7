package appstream

import (
	"net/url"
	"strings"
	"testing"
	"unicode"

	"github.com/image-distributor/image-distributor/internal/config"
)

// Credentials shaped like real ones: an STS token is long base64 with "+",
// "/" and "=", which percent-encoding turns into %2B, %2F and %3D.
var (
	realCreds = config.Credentials{
		AccessKeyID:     "STS.NUgYrLnoC37mZZCNnAbez2nRy",
		AccessKeySecret: "8dGk2Hx0yPq9ZwT3nV5mLcR7aB1eFq",
		SecurityToken: "CAIS9gF1q6Ft5B2yfSjIr5bSAtDtjaxt1bKHSh/uslQ+V+dKm7Tgpjz2IHhMeXJuAu4ctPk3nm1" +
			"W5/gZlqJ4T55IQ1Dbe9hjXN2uK1ng+P9bGfnn0nTKzO4+4V2gqGVw3tTn3VhqyJrA0a9TeOlqtfSG4c4mZV/Fxp" +
			"ZHEw8Gm2DJwTPdOBTr9PeGhbkB2YrF/rZ0VrG3PUhWYzrEEsQQ9L0s9hqwuw8HmIVH9i3LVRe/ZRrOTRKoyqnSXBcMZt==",
	}
	realSignature = "Xk2m5Q7rs90tu+AbCdEf/12345678Zq="
)

// signedQuery is the query string the SDK sends, in the canonical order
// the gateway echoes it (API-NOTES §3.1, §3.5).
func signedQuery() string {
	v := url.Values{
		"AccessKeyId": {realCreds.AccessKeyID}, "Action": {"StartTaskForDistributeImage"}, "Format": {"JSON"},
		"RegionId": {"cn-shanghai"}, "SecurityToken": {realCreds.SecurityToken.Reveal()}, "Signature": {realSignature},
		"SignatureMethod": {"HMAC-SHA1"}, "SignatureNonce": {"5f0e7a2c9b1d4e3f8a6b0c2d4e6f8a0b"}, "SignatureType": {""},
		"SignatureVersion": {"1.0"}, "Timestamp": {"2026-11-28T23:24:31Z"}, "Version": {"2021-09-01"},
	}
	return v.Encode()
}

func TestRedactGatewayTexts(t *testing.T) {
	query := signedQuery()
	once := url.QueryEscape(query) // as inside a string to sign
	twice := url.QueryEscape(once) // as inside a quoted URL of a string to sign
	tests := []struct {
		name string
		text string
		keep string // context that must survive
	}{
		{"string to sign", "Specified signature is not matched with our calculation. server string to sign is:POST&%2F&" + once, "not matched"},
		{"canonicalized request", "The request signature does not conform to Aliyun standards. Canonicalized request: POST\n/\n" + query, "does not conform"},
		{"bare echoed query", "Specified parameter is not valid: " + query, "SignatureMethod=HMAC-SHA1"},
		{"echoed query, encoded once", "parameters " + once + " rejected", "SignatureMethod%3DHMAC-SHA1"},
		{"echoed query, encoded twice", "parameters " + twice + " rejected", "SignatureMethod%253DHMAC-SHA1"},
		{"signature tail", "bad Signature=" + url.QueryEscape(realSignature), "bad"},
		{"url error", `Post "https://appstream-center.cn-shanghai.aliyuncs.com/?` + query + `": dial tcp: i/o timeout`, "i/o timeout"},
		{"json echo", `{"SecurityToken": "` + realCreds.SecurityToken.Reveal() + `", "Signature":"` + realSignature + `"}`, "{"},
		{"sdk debug line", "> POST /?" + query + " HTTP/1.1", "HTTP/1.1"},
	}
	for _, tc := range tests {
		// Without the credentials only the credential names point at
		// the values, as for a signature, which redact is never given.
		checkRedacted(t, tc.name, redact(tc.text, realCreds), tc.keep)
		checkRedacted(t, tc.name+" by names alone", redact(tc.text, config.Credentials{}), tc.keep)
	}
	// A value with no name to point at it is found by the credentials.
	token := url.QueryEscape(url.QueryEscape(realCreds.SecurityToken.Reveal()))
	checkRedacted(t, "token alone", redact("token "+token+" expired", realCreds), "expired")
}

func checkRedacted(t *testing.T, name, got, keep string) {
	t.Helper()
	t.Run(name, func(t *testing.T) {
		for _, secret := range []string{realCreds.AccessKeySecret.Reveal(), realCreds.SecurityToken.Reveal(), realSignature} {
			for _, run := range strings.FieldsFunc(secret, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
				if len(run) >= 8 && strings.Contains(got, run) {
					t.Errorf("redact() = %q\nkeeps %q of a credential", got, run)
				}
			}
		}
		if !strings.Contains(got, keep) {
			t.Errorf("redact() = %q, want %q kept", got, keep)
		}
	})
}
