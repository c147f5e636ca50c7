package trigger_test

import (
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/image-distributor/image-distributor/internal/trigger"
)

// samples says what each file in events/ must decode to. A sample without
// a row is still decoded by TestDecodeSamples, which then only checks that
// it is accepted.
var samples = map[string]struct {
	kind   trigger.Kind
	images []trigger.Image // for HTTP, the image ParseHTTP reads, if any
	call   *trigger.HTTPCall
	query  bool // for HTTP: a status query
}{
	"eventbridge-image-created.json": {kind: trigger.KindEvent, images: []trigger.Image{{
		// The product type comes from the public InstanceType parameter;
		// no source region: acsRegion is only the endpoint's region.
		ImageID: "imgc-07jyldnd9iab12cd", VersionID: "iv-07jyldnd9iab34ef", ProductType: "CloudDesktop",
		EventID: "acs.appstreaming/8f5c0d2e-41b7-4c5e-9a0e-3d2f6c1b9a47",
	}}},
	"eventbridge-image-data.json": {kind: trigger.KindEvent, images: []trigger.Image{{
		// The direct shape's own regionId is the source; aliyunregionid is not.
		ImageID: "imgc-0b8xk2m5q7rs90tu", VersionID: "iv-0b8xk2m5q7rs12ab", ProductType: "CloudApp",
		SourceRegion: "cn-hangzhou", EventID: "image.pipeline/c3a1e8f0-2b4d-4f6a-8c9e-1a2b3c4d5e6f",
	}}},
	"eventbridge-batch.json": {kind: trigger.KindEvent, images: []trigger.Image{
		{ImageID: "imgc-1c9ym3n6r8st01uv", ProductType: "CloudApp", SourceRegion: "cn-shanghai",
			EventID: "image.pipeline/a1b2c3d4-0001-4e5f-8a9b-0c1d2e3f4a5b"},
		{ImageID: "imgc-1c9ym3n6r8st01uv", ProductType: "CloudApp", SourceRegion: "cn-shanghai",
			EventID: "image.pipeline/a1b2c3d4-0002-4e5f-8a9b-0c1d2e3f4a5b"},
		{ImageID: "imgc-2d0zn4p7s9tu12vw", ProductType: "WuyingServer", SourceRegion: "cn-shanghai",
			EventID: "image.pipeline/a1b2c3d4-0003-4e5f-8a9b-0c1d2e3f4a5b"},
	}},
	"http-distribute.json": {kind: trigger.KindHTTP,
		call: &trigger.HTTPCall{Method: "POST", Path: "/distribute", Token: "local-test-token",
			ContentType: "application/json", SourceIP: "203.0.113.9",
			Body: `{"imageId":"imgc-3e1ap5q8t0uv23wx","versionId":"iv-3e1ap5q8t0uv45yz","productType":"CloudApp","sourceRegion":"cn-shanghai","destinationRegions":["cn-hangzhou","cn-beijing"]}`},
		images: []trigger.Image{{ImageID: "imgc-3e1ap5q8t0uv23wx", VersionID: "iv-3e1ap5q8t0uv45yz", ProductType: "CloudApp",
			SourceRegion: "cn-shanghai", Destinations: []string{"cn-hangzhou", "cn-beijing"}}}},
	"http-status.json": {kind: trigger.KindHTTP, query: true,
		call: &trigger.HTTPCall{Method: "GET", Path: "/status", Token: "local-test-token", SourceIP: "203.0.113.9",
			Query: map[string]string{"imageId": "imgc-6h4ds8t1w3xy56za"}},
		images: []trigger.Image{{ImageID: "imgc-6h4ds8t1w3xy56za"}}},
	"http-status-all.json": {kind: trigger.KindHTTP, query: true,
		call: &trigger.HTTPCall{Method: "GET", Path: "/status", Token: "local-test-token", SourceIP: "203.0.113.9"}},
	"timer.json": {kind: trigger.KindTimer, images: []trigger.Image{
		{ImageID: "imgc-4f2bq6r9u1vw34xy", ProductType: "CloudApp", SourceRegion: "cn-shanghai"},
		{ImageID: "imgc-5g3cr7s0v2wx45yz", VersionID: "iv-5g3cr7s0v2wx67ab", ProductType: "CloudDesktop",
			SourceRegion: "cn-shanghai", Destinations: []string{"cn-beijing"}},
	}},
}

func TestDecodeSamples(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join("..", "..", "events", "*.json"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("glob events/*.json = %v, %v, want samples", paths, err)
	}
	for _, p := range paths {
		name := filepath.Base(p)
		t.Run(name, func(t *testing.T) {
			req, err := trigger.Decode(mustReadEvent(t, name))
			if err != nil {
				t.Fatalf("Decode(%s) error = %v, want nil", name, err)
			}
			images := req.Images
			if req.Kind == trigger.KindHTTP {
				if req.HTTP == nil {
					t.Fatalf("Decode(%s).HTTP = nil, want the call", name)
				}
				parsed, err := trigger.ParseHTTP(req.HTTP)
				if err != nil {
					t.Fatalf("ParseHTTP(%s) error = %v, want nil", name, err)
				}
				if parsed.Query != samples[name].query {
					t.Errorf("ParseHTTP(%s).Query = %v, want %v", name, parsed.Query, samples[name].query)
				}
				if parsed.Image.ImageID != "" {
					images = []trigger.Image{parsed.Image}
				}
			}
			want, ok := samples[name]
			if !ok {
				if len(images) == 0 && req.Kind != trigger.KindHTTP {
					t.Errorf("Decode(%s) yields no images, want at least one", name)
				}
				t.Logf("%s has no row in samples; add one to pin what it decodes to", name)
				return
			}
			if req.Kind != want.kind {
				t.Errorf("Decode(%s).Kind = %v, want %v", name, req.Kind, want.kind)
			}
			if len(req.Skipped) != 0 {
				t.Errorf("Decode(%s).Skipped = %v, want none", name, req.Skipped)
			}
			if want.call != nil {
				if diff := cmp.Diff(want.call, req.HTTP); diff != "" {
					t.Errorf("Decode(%s).HTTP mismatch (-want +got):\n%s", name, diff)
				}
			}
			if diff := cmp.Diff(want.images, images); diff != "" {
				t.Errorf("Decode(%s) images mismatch (-want +got):\n%s", name, diff)
			}
		})
	}
}
