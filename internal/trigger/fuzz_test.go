package trigger_test

import (
	"errors"
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
			if img, err := trigger.ParseHTTP(req.HTTP); err == nil {
				checkImage(t, img)
			}
		}
	})
}

// FuzzParseHTTP fuzzes the HTTP body parser directly with both encodings.
func FuzzParseHTTP(f *testing.F) {
	f.Add(`{"imageId":"imgc-abc","destinationRegions":["cn-hangzhou"]}`, false)
	f.Add(`eyJpbWFnZUlkIjoiaW1nYy1hYmMifQ==`, true)
	f.Add(`{"imageId":"imgc-abc","versionId":"iv-1","productType":"CloudApp","sourceRegion":"cn-shanghai"}`, false)
	f.Add(`{"imageId":"imgc-abc"} {"imageId":"imgc-def"}`, false)
	f.Fuzz(func(t *testing.T, body string, b64 bool) {
		img, err := trigger.ParseHTTP(&trigger.HTTPCall{Method: "POST", ContentType: "application/json", Body: body, Base64: b64})
		var ie *trigger.InputError
		switch {
		case err == nil:
			checkImage(t, img)
		case !errors.As(err, &ie):
			t.Fatalf("ParseHTTP error %T, want *InputError", err)
		}
	})
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
