package trigger_test

import (
	"errors"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/image-distributor/image-distributor/internal/ids"
	"github.com/image-distributor/image-distributor/internal/trigger"
)

// addSeeds seeds a fuzzer with every sample in events/ and every hostile
// input in testdata/, so it starts from real shapes.
func addSeeds(f *testing.F) {
	f.Helper()
	for _, glob := range []string{filepath.Join("..", "..", "events", "*.json"), filepath.Join("testdata", "*")} {
		files, err := filepath.Glob(glob)
		if err != nil {
			f.Fatal(err)
		}
		for _, name := range files {
			b, err := os.ReadFile(name)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(b)
		}
	}
	f.Add([]byte(`[]`))
	f.Add([]byte(`{"source":"s","type":"t","data":{"eventName":"CreateImageByInstance","referencedResources":{"ACS::X::Image":["img-a"]}}}`))
	f.Add([]byte(`["{\"source\":\"s\",\"type\":\"t\",\"data\":\"{\\\"imageId\\\":\\\"imgc-a\\\"}\"}"]`))
}

// FuzzDecode checks that no input panics and that whatever Decode accepts
// is valid: every image it returns passes the same checks an HTTP caller's
// would, and every rejection is an InputError.
func FuzzDecode(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, raw []byte) {
		req, err := trigger.Decode(raw)
		var ie *trigger.InputError
		if err != nil && !errors.As(err, &ie) {
			t.Fatalf("Decode error %T %v, want *InputError", err, err)
		}
		if ie != nil && (ie.Status < 400 || ie.Status > 499 || ie.Code == "" || ie.Message == "") {
			t.Fatalf("Decode error %+v lacks a status, code or message", ie)
		}
		if req.Kind == trigger.KindHTTP && req.HTTP == nil {
			t.Fatal("HTTP request without its call")
		}
		for _, img := range req.Images {
			checkImage(t, img)
		}
		if req.HTTP != nil {
			if parsed, err := trigger.ParseHTTP(req.HTTP); err == nil {
				checkParsed(t, parsed)
			}
		}
	})
}

// FuzzParseHTTP fuzzes the HTTP parser directly: a body in both
// encodings, under either method, with a query in URL form, which is
// turned into FC's map with a repeated parameter's values comma-joined.
func FuzzParseHTTP(f *testing.F) {
	f.Add("POST", `{"imageId":"imgc-abc","destinationRegions":["cn-hangzhou"]}`, false, "")
	f.Add("POST", `eyJpbWFnZUlkIjoiaW1nYy1hYmMifQ==`, true, "")
	f.Add("POST", `{"imageId":"imgc-abc","versionId":"iv-1","productType":"CloudApp","sourceRegion":"cn-shanghai"}`, false, "")
	f.Add("POST", `{"imageId":"imgc-abc"} {"imageId":"imgc-def"}`, false, "")
	f.Add("GET", "", false, "imageId=imgc-abc&versionId=iv-1&destinationRegions=cn-hangzhou,cn-beijing")
	f.Add("GET", "", false, "imageId=imgc-a&imageId=imgc-b")
	f.Add("GET", "", false, "destinationRegions=cn-hangzhou&destinationRegions=%0Acn-beijing")
	f.Add("GET", "", false, "")
	f.Fuzz(func(t *testing.T, method, body string, b64 bool, rawQuery string) {
		var query map[string]string
		if values, err := url.ParseQuery(rawQuery); err == nil && len(values) > 0 {
			query = map[string]string{}
			for k, vs := range values {
				query[k] = strings.Join(vs, ",")
			}
		}
		parsed, err := trigger.ParseHTTP(&trigger.HTTPCall{Method: method, ContentType: "application/json", Body: body, Base64: b64, Query: query})
		var ie *trigger.InputError
		switch {
		case err == nil:
			checkParsed(t, parsed)
			if parsed.Query != (method == "GET") {
				t.Fatalf("ParseHTTP(%s) accepted it as a query: %v", method, parsed.Query)
			}
		case !errors.As(err, &ie):
			t.Fatalf("ParseHTTP error %T, want *InputError", err)
		}
	})
}

// checkParsed checks what ParseHTTP accepted: only a query may name no
// image (every managed image), and the rest must be valid.
func checkParsed(t *testing.T, r trigger.HTTPRequest) {
	t.Helper()
	if r.Query && r.Image.ImageID == "" {
		if r.Image.VersionID != "" || len(r.Image.Destinations) > 0 {
			t.Fatalf("a query for every image carries %+v", r.Image)
		}
		return
	}
	checkImage(t, r.Image)
}

func checkImage(t *testing.T, img trigger.Image) {
	t.Helper()
	for _, err := range []error{ids.CheckImage(img.ImageID), ids.CheckVersion(img.VersionID), ids.CheckProductType(img.ProductType)} {
		if err != nil {
			t.Fatalf("accepted an invalid image %+v: %v", img, err)
		}
	}
	if img.SourceRegion != "" && !ids.ValidRegion(img.SourceRegion) {
		t.Fatalf("accepted an invalid source region %q", img.SourceRegion)
	}
	for _, r := range img.Destinations {
		if !ids.ValidRegion(r) || strings.ContainsAny(r, "\n\r") {
			t.Fatalf("accepted an invalid destination %q", r)
		}
	}
}
