package trigger_test

import (
	"encoding/base64"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/image-distributor/image-distributor/internal/trigger"
)

const goodBody = `{"imageId":"imgc-abc","sourceRegion":"cn-shanghai","destinationRegions":["cn-hangzhou"]}`

var goodImage = trigger.Image{ImageID: "imgc-abc", SourceRegion: "cn-shanghai", Destinations: []string{"cn-hangzhou"}}

func post(body string) *trigger.HTTPCall {
	return &trigger.HTTPCall{Method: "POST", ContentType: "application/json", Body: body}
}

func TestParseHTTP(t *testing.T) {
	b64 := func(c *trigger.HTTPCall) *trigger.HTTPCall {
		c.Body, c.Base64 = base64.StdEncoding.EncodeToString([]byte(c.Body)), true
		return c
	}
	withType := func(ct string) *trigger.HTTPCall { c := post(goodBody); c.ContentType = ct; return c }
	withMethod := func(m string) *trigger.HTTPCall { c := post(goodBody); c.Method = m; return c }
	tests := []parseCase{
		{name: "POST", call: post(goodBody), want: goodImage},
		{name: "all fields", call: post(`{"imageId":"imgc-abc","versionId":"iv-1","productType":"CloudDesktop"}`),
			want: trigger.Image{ImageID: "imgc-abc", VersionID: "iv-1", ProductType: "CloudDesktop"}},
		{name: "img- image ID", call: post(`{"imageId":"img-abc"}`), want: trigger.Image{ImageID: "img-abc"}},
		{name: "JSON with charset", call: withType("application/json; charset=utf-8"), want: goodImage},
		{name: "content type in capitals", call: withType("Application/JSON"), want: goodImage},
		{name: "no content type", call: withType(""), want: goodImage},
		{name: "base64 body", call: b64(post(goodBody)), want: goodImage},
		{name: "trailing whitespace", call: post(goodBody + "\n\t "), want: goodImage},
		{name: "PUT", call: withMethod("PUT"), status: 405, code: "MethodNotAllowed", msg: "use POST to distribute an image or GET to ask where it is"},
		{name: "HEAD", call: withMethod("HEAD"), status: 405, code: "MethodNotAllowed"},
		{name: "lowercase post", call: withMethod("post"), status: 405, code: "MethodNotAllowed"},
		{name: "long method clipped", call: withMethod(strings.Repeat("X", 5000)), status: 405, code: "MethodNotAllowed", msg: "…"},
		{name: "form body", call: withType("application/x-www-form-urlencoded"), status: 415, code: "UnsupportedMediaType", msg: "application/json"},
		{name: "text plain", call: withType("text/plain"), status: 415, code: "UnsupportedMediaType"},
		{name: "JSON suffix type", call: withType("application/problem+json"), status: 415, code: "UnsupportedMediaType"},
		{name: "broken content type", call: withType("application/json; =x"), status: 415, code: "UnsupportedMediaType"},
		{name: "bad base64", call: &trigger.HTTPCall{Method: "POST", Body: "not base64!", Base64: true}, status: 400, code: "MalformedBody", msg: "base64"},
		{name: "oversized", call: post(`{"imageId":"imgc-abc","x":"` + strings.Repeat("a", trigger.MaxBodyBytes) + `"}`), status: 413, code: "BodyTooLarge"},
		{name: "oversized before decoding", call: post(strings.Repeat(" ", base64.StdEncoding.EncodedLen(trigger.MaxBodyBytes)+1)), status: 413, code: "BodyTooLarge"},
		{name: "oversized after decoding", call: b64(post(goodBody + strings.Repeat(" ", trigger.MaxBodyBytes))), status: 413, code: "BodyTooLarge"},
		{name: "empty body", call: post(""), status: 400, code: "InvalidRequest", msg: "no JSON value"},
		{name: "not JSON", call: post("imageId=imgc-abc"), status: 400, code: "InvalidRequest", msg: "syntax error"},
		{name: "truncated", call: post(goodBody[:20]), status: 400, code: "InvalidRequest", msg: "JSON ends early"},
		{name: "array", call: post("[" + goodBody + "]"), status: 400, code: "InvalidRequest", msg: "an object"},
		{name: "unknown field", call: post(`{"imageId":"imgc-abc","destinationRegion":["cn-hangzhou"]}`), status: 400, code: "InvalidRequest", msg: "destinationRegion"},
		{name: "huge unknown field clipped", call: post(`{"imageId":"imgc-abc","` + strings.Repeat("k", 4000) + `":1}`), status: 400, code: "InvalidRequest", msg: "…"},
		{name: "regions as a string", call: post(`{"imageId":"imgc-abc","destinationRegions":"cn-hangzhou"}`), status: 400, code: "InvalidRequest", msg: `"destinationRegions" must be an array, not string`},
		{name: "image ID a number", call: post(`{"imageId":42}`), status: 400, code: "InvalidRequest", msg: `"imageId" must be a string, not number`},
		{name: "no image ID", call: post(`{"sourceRegion":"cn-shanghai"}`), status: 400, code: "InvalidRequest", msg: "imgc- or img-"},
		{name: "bad image ID", call: post(`{"imageId":"imgc-../x"}`), status: 400, code: "InvalidRequest", msg: "imgc-../x"},
		{name: "bad version", call: post(`{"imageId":"imgc-a","versionId":"1"}`), status: 400, code: "InvalidRequest", msg: "iv-"},
		{name: "bad product type", call: post(`{"imageId":"imgc-a","productType":"cloudapp"}`), status: 400, code: "InvalidRequest", msg: "CloudApp"},
		{name: "bad source region", call: post(`{"imageId":"imgc-a","sourceRegion":"CN-SHANGHAI"}`), status: 400, code: "InvalidRequest", msg: "sourceRegion"},
		{name: "bad destination region", call: post(`{"imageId":"imgc-a","destinationRegions":["cn-hangzhou","cn hangzhou"]}`), status: 400, code: "InvalidRequest", msg: "destinationRegions"},
		{name: "too many destinations", call: post(`{"imageId":"imgc-a","destinationRegions":["` + strings.Repeat(`cn-hangzhou","`, trigger.MaxDestinations) + `cn-beijing"]}`),
			status: 400, code: "InvalidRequest", msg: "more than 64"},
		{name: "trailing object", call: post(goodBody + `{"imageId":"imgc-evil"}`), status: 400, code: "InvalidRequest", msg: "after the JSON value"},
		{name: "trailing brace", call: post(goodBody + "}"), status: 400, code: "InvalidRequest", msg: "after the JSON value"},
	}
	runParseCases(t, tests, false)
}

// parseCase is one call ParseHTTP reads: want is the image it yields, or
// status, code and msg (a part of the message) its InputError.
type parseCase struct {
	name   string
	call   *trigger.HTTPCall
	want   trigger.Image
	status int // 0 for success
	code   string
	msg    string
}

// runParseCases runs each case; a success must be a query exactly when
// query is set.
func runParseCases(t *testing.T, tests []parseCase, query bool) {
	t.Helper()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := trigger.ParseHTTP(tc.call)
			if tc.status == 0 {
				if err != nil {
					t.Fatalf("ParseHTTP(%s) error = %v, want nil", tc.name, err)
				}
				if diff := cmp.Diff(trigger.HTTPRequest{Query: query, Image: tc.want}, got); diff != "" {
					t.Errorf("ParseHTTP(%s) mismatch (-want +got):\n%s", tc.name, diff)
				}
				return
			}
			mustInputError(t, "ParseHTTP("+tc.name+")", err, tc.status, tc.code, tc.msg)
			if diff := cmp.Diff(trigger.HTTPRequest{}, got); diff != "" {
				t.Errorf("ParseHTTP(%s) returned a request with its error:\n%s", tc.name, diff)
			}
		})
	}
}

func TestDecodeHTTPEvent(t *testing.T) {
	event := func(headers, extra string) string {
		return `{"version":"v1","rawPath":"/d","body":"{}","isBase64Encoded":true,"headers":{` + headers + `},` +
			`"requestContext":{"http":{"method":"post","path":"/d","sourceIp":"203.0.113.9"}}` + extra + `}`
	}
	tests := []struct {
		name    string
		headers string
		auth    string
		ctype   string
	}{
		{"canonical", `"X-Distributor-Token":"t","Content-Type":"application/json"`, "t", "application/json"},
		{"lowercase", `"x-distributor-token":"t","content-type":"text/plain"`, "t", "text/plain"},
		{"uppercase", `"X-DISTRIBUTOR-TOKEN":"t","CONTENT-TYPE":"application/json"`, "t", "application/json"},
		{"Authorization is the trigger's, not ours", `"Authorization":"ACS3-HMAC-SHA256 Credential=x"`, "", ""},
		{"missing", `"X-Other":"x"`, "", ""},
		{"two spellings disagree", `"X-Distributor-Token":"a","x-distributor-token":"b"`, "", ""},
		{"two spellings agree", `"X-Distributor-Token":"t","x-distributor-token":"t"`, "t", ""},
		{"no headers", ``, "", ""},
	}
	withQuery := event(``, `,"queryParameters":{"imageId":"imgc-a","destinationRegions":"cn-hangzhou,cn-beijing"}`)
	req, err := trigger.Decode([]byte(withQuery))
	if err != nil || req.HTTP == nil {
		t.Fatalf("Decode(%q) = %+v, %v; want an HTTP call", withQuery, req, err)
	}
	if diff := cmp.Diff(map[string]string{"imageId": "imgc-a", "destinationRegions": "cn-hangzhou,cn-beijing"}, req.HTTP.Query); diff != "" {
		t.Errorf("Decode(%q).HTTP.Query mismatch (-want +got):\n%s", withQuery, diff)
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := event(tc.headers, "")
			req, err := trigger.Decode([]byte(in))
			if err != nil {
				t.Fatalf("Decode(%q) error = %v, want nil", in, err)
			}
			want := &trigger.HTTPCall{Method: "POST", Path: "/d", Token: tc.auth, ContentType: tc.ctype,
				SourceIP: "203.0.113.9", Body: "{}", Base64: true}
			if diff := cmp.Diff(trigger.Request{Kind: trigger.KindHTTP, HTTP: want}, req); diff != "" {
				t.Errorf("Decode(%q) mismatch (-want +got):\n%s", in, diff)
			}
		})
	}
}
