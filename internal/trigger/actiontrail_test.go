package trigger_test

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/image-distributor/image-distributor/internal/trigger"
)

func TestDecodeActionTrail(t *testing.T) {
	tests := []struct {
		name   string
		record string
		want   trigger.Image
	}{
		{"CreateImageByInstance answers Data",
			`{"eventName":"CreateImageByInstance","acsRegion":"cn-shanghai","requestParameters":{"ProductType":"CloudDesktop"},
			  "responseElements":{"Data":{"ImageId":"imgc-a1","VersionId":"iv-a1","TaskId":"t"}}}`,
			trigger.Image{ImageID: "imgc-a1", VersionID: "iv-a1", ProductType: "CloudDesktop", SourceRegion: "cn-shanghai"}},
		{"CreateImageFromAppInstanceGroup answers ImageId",
			`{"eventName":"CreateImageFromAppInstanceGroup","acsRegion":"cn-hangzhou","responseElements":{"ImageId":"imgc-b2","RequestId":"r"}}`,
			trigger.Image{ImageID: "imgc-b2", SourceRegion: "cn-hangzhou"}},
		{"Data without an image falls back to ImageId",
			`{"eventName":"CreateImageByInstance","acsRegion":"cn-hangzhou","responseElements":{"Data":{"TaskId":"t"},"ImageId":"imgc-b3"}}`,
			trigger.Image{ImageID: "imgc-b3", SourceRegion: "cn-hangzhou"}},
		{"Data of another type is ignored",
			`{"eventName":"CreateImageByInstance","acsRegion":"cn-hangzhou","responseElements":{"Data":"x","ImageId":"imgc-b4"}}`,
			trigger.Image{ImageID: "imgc-b4", SourceRegion: "cn-hangzhou"}},
		{"falls back to requestParameters.ImageId",
			`{"eventName":"CreateImage","acsRegion":"cn-shanghai","requestParameters":{"ImageId":"imgc-c3","ProductType":"CloudApp"}}`,
			trigger.Image{ImageID: "imgc-c3", ProductType: "CloudApp", SourceRegion: "cn-shanghai"}},
		{"response wins over request",
			`{"eventName":"CreateImageByInstance","acsRegion":"cn-shanghai","requestParameters":{"ImageId":"imgc-req"},
			  "responseElements":{"Data":{"ImageId":"imgc-resp"}}}`,
			trigger.Image{ImageID: "imgc-resp", SourceRegion: "cn-shanghai"}},
		{"envelope region when acsRegion is missing",
			`{"eventName":"CreateImageByInstance","responseElements":{"Data":{"ImageId":"imgc-d4"}}}`,
			trigger.Image{ImageID: "imgc-d4", SourceRegion: "cn-beijing"}},
		{"non-string parameters ignored",
			`{"eventName":"CreateImageByInstance","acsRegion":"cn-shanghai","requestParameters":{"ProductType":7,"ImageId":["imgc-x"]},
			  "responseElements":{"ImageId":"imgc-e5"}}`,
			trigger.Image{ImageID: "imgc-e5", SourceRegion: "cn-shanghai"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := actionTrail("1", tc.record)
			req, err := trigger.Decode([]byte(in))
			if err != nil {
				t.Fatalf("Decode(%q) error = %v, want nil", in, err)
			}
			tc.want.EventID = "acs.appstreaming/1"
			if diff := cmp.Diff([]trigger.Image{tc.want}, req.Images); diff != "" {
				t.Errorf("Decode(%q) images mismatch (-want +got):\n%s", in, diff)
			}
		})
	}
}

func TestDecodeSkips(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		wants []string
	}{
		{"failed call", actionTrail("1", `{"eventName":"CreateImageByInstance","errorCode":"Forbidden.NoPermission",
			"responseElements":{"Data":{"ImageId":"imgc-a1"}}}`), []string{"CreateImageByInstance", "Forbidden.NoPermission"}},
		{"DeleteImage", actionTrail("1", `{"eventName":"DeleteImage","requestParameters":{"ImageId":"imgc-a1"}}`),
			[]string{"DeleteImage does not create an image"}},
		{"lookalike name", actionTrail("1", `{"eventName":"ListCreateImageTasks"}`), []string{"ListCreateImageTasks"}},
		{"record without image", actionTrail("1", `{"eventName":"CreateImageByInstance","responseElements":{"Data":{}}}`),
			[]string{"names no image ID"}},
		{"direct data without image", actionTrail("1", `{"productType":"CloudApp"}`), []string{"no imageId"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req, err := trigger.Decode([]byte(tc.in))
			if err != nil {
				t.Fatalf("Decode(%q) error = %v, want nil: a skip is not an error", tc.in, err)
			}
			if len(req.Images) != 0 || len(req.Skipped) != 1 {
				t.Fatalf("Decode(%q) = %+v, want one skip and no images", tc.in, req)
			}
			skip := req.Skipped[0]
			if skip.EventID != "acs.appstreaming/1" {
				t.Errorf("Decode(%q) skip EventID = %q, want acs.appstreaming/1", tc.in, skip.EventID)
			}
			for _, w := range tc.wants {
				if !strings.Contains(skip.Reason, w) {
					t.Errorf("Decode(%q) skip reason = %q, want it to contain %q", tc.in, skip.Reason, w)
				}
			}
		})
	}
}

func TestDecodeActionTrailRejects(t *testing.T) {
	tests := []struct {
		name   string
		record string
		want   string
	}{
		{"bad image in response", `{"eventName":"CreateImageByInstance","responseElements":{"Data":{"ImageId":"imgc-a;b"}}}`, "imgc-a;b"},
		{"unknown product type", `{"eventName":"CreateImage","requestParameters":{"ProductType":"CloudPhone","ImageId":"imgc-a"}}`, "CloudPhone"},
		{"bad acsRegion", `{"eventName":"CreateImage","acsRegion":"CN_SHANGHAI","requestParameters":{"ImageId":"imgc-a"}}`, "CN_SHANGHAI"},
		{"parameters not an object", `{"eventName":"CreateImage","requestParameters":"ImageId=imgc-a"}`, "requestParameters"},
		{"eventName not a string", `{"eventName":["CreateImage"]}`, "eventName"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := actionTrail("1", tc.record)
			req, err := trigger.Decode([]byte(in))
			mustInputError(t, "Decode("+in+")", err, 400, "MalformedEvent", tc.want, "acs.appstreaming/1")
			if len(req.Images)+len(req.Skipped) != 0 {
				t.Errorf("Decode(%q) = %+v, want no images or skips", in, req)
			}
		})
	}
}
