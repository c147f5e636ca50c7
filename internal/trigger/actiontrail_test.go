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
			`{"eventName":"CreateImageByInstance","acsRegion":"cn-shanghai","requestParameters":{"InstanceType":"CloudDesktop"},
			  "responseElements":{"Data":{"ImageId":"imgc-a1","VersionId":"iv-a1","TaskId":"t"}}}`,
			trigger.Image{ImageID: "imgc-a1", VersionID: "iv-a1", ProductType: "CloudDesktop"}},
		{"CreateImageFromAppInstanceGroup answers ImageId",
			`{"eventName":"CreateImageFromAppInstanceGroup","acsRegion":"cn-shanghai","requestParameters":{"ProductType":"CloudApp"},
			  "responseElements":{"ImageId":"img-b2","RequestId":"r"}}`,
			trigger.Image{ImageID: "img-b2", ProductType: "CloudApp"}},
		{"Data without an image falls back to ImageId",
			`{"eventName":"CreateImageByInstance","responseElements":{"Data":{"TaskId":"t"},"ImageId":"imgc-b3"}}`,
			trigger.Image{ImageID: "imgc-b3"}},
		{"Data of another type is ignored",
			`{"eventName":"CreateImageByInstance","responseElements":{"Data":"x","ImageId":"imgc-b4"}}`,
			trigger.Image{ImageID: "imgc-b4"}},
		{"falls back to requestParameters.ImageId",
			`{"eventName":"CreateImage","requestParameters":{"ImageId":"imgc-c3","ProductType":"CloudApp"}}`,
			trigger.Image{ImageID: "imgc-c3", ProductType: "CloudApp"}},
		{"response wins over request",
			`{"eventName":"CreateImageByInstance","requestParameters":{"ImageId":"imgc-req"},
			  "responseElements":{"Data":{"ImageId":"imgc-resp"}}}`,
			trigger.Image{ImageID: "imgc-resp"}},
		{"non-string parameters ignored",
			`{"eventName":"CreateImageByInstance","requestParameters":{"ProductType":7,"InstanceType":true,"ImageId":["imgc-x"]},
			  "responseElements":{"ImageId":"imgc-e5"}}`,
			trigger.Image{ImageID: "imgc-e5"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			mustDecodeOne(t, actionTrail("1", tc.record), tc.want)
		})
	}
}

// mustDecodeOne decodes in and wants exactly one image, want, from the
// actionTrail event "1".
func mustDecodeOne(t *testing.T, in string, want trigger.Image) {
	t.Helper()
	req, err := trigger.Decode([]byte(in))
	if err != nil {
		t.Fatalf("Decode(%q) error = %v, want nil", in, err)
	}
	want.EventID = "acs.appstreaming/1"
	if diff := cmp.Diff([]trigger.Image{want}, req.Images); diff != "" {
		t.Errorf("Decode(%q) images mismatch (-want +got):\n%s", in, diff)
	}
}

// Issue 10 item 1: the public parameter of CreateImageByInstance is
// InstanceType; ProductType is not public. Before, a desktop image was
// distributed as the default CloudApp.
func TestDecodeActionTrailProductType(t *testing.T) {
	const resp = `"responseElements":{"Data":{"ImageId":"imgc-a1"}}`
	tests := []struct {
		name, params, want string
	}{
		{"InstanceType CloudDesktop", `{"InstanceType":"CloudDesktop"}`, "CloudDesktop"},
		{"InstanceType WuyingServer", `{"InstanceType":"WuyingServer"}`, "WuyingServer"},
		{"ProductType wins over InstanceType", `{"ProductType":"CloudApp","InstanceType":"CloudDesktop"}`, "CloudApp"},
		{"ProductType alone (CreateImageFromAppInstanceGroup)", `{"ProductType":"WuyingServer"}`, "WuyingServer"},
		{"empty ProductType falls back", `{"ProductType":"","InstanceType":"WuyingServer"}`, "WuyingServer"},
		{"neither: the configured default applies", `{"InstanceId":"ecd-1"}`, ""},
		{"no parameters", `null`, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := actionTrail("1", `{"eventName":"CreateImageByInstance","requestParameters":`+tc.params+`,`+resp+`}`)
			mustDecodeOne(t, in, trigger.Image{ImageID: "imgc-a1", ProductType: tc.want})
		})
	}
}

// Issue 10 item 2: images are centralized, so neither acsRegion (the
// endpoint's region), aliyunregionid (the bus's region) nor a regionId in
// the record names where the image was built; the API picks the source.
func TestDecodeActionTrailLeavesSourceEmpty(t *testing.T) {
	tests := []struct{ name, in string }{
		{"acsRegion", actionTrail("1", `{"eventName":"CreateImageByInstance","acsRegion":"ap-southeast-1","responseElements":{"Data":{"ImageId":"imgc-a1"}}}`)},
		{"malformed acsRegion is not read", actionTrail("1", `{"eventName":"CreateImageByInstance","acsRegion":"CN_SHANGHAI","responseElements":{"Data":{"ImageId":"imgc-a1"}}}`)},
		{"regionId in the record", actionTrail("1", `{"eventName":"CreateImageByInstance","regionId":"cn-hangzhou","responseElements":{"Data":{"ImageId":"imgc-a1"}}}`)},
		{"RegionId in requestParameters", actionTrail("1", `{"eventName":"CreateImageByInstance","requestParameters":{"RegionId":"cn-hangzhou"},"responseElements":{"Data":{"ImageId":"imgc-a1"}}}`)},
		{"envelope only", actionTrail("1", `{"eventName":"CreateImageByInstance","responseElements":{"Data":{"ImageId":"imgc-a1"}}}`)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			mustDecodeOne(t, tc.in, trigger.Image{ImageID: "imgc-a1"})
		})
	}
}

// Issue 10 item 4: the only published EventBridge sample of an ActionTrail
// event has referencedResources ({"ACS::ECS::Disk":["d-…"]}) and no
// responseElements. An image ID found there is used only when it is the
// one valid ID listed under a type ending in ::Image (inferred shape).
func TestDecodeActionTrailReferencedResources(t *testing.T) {
	record := func(refs string) string {
		return actionTrail("1", `{"eventName":"CreateImageByInstance","eventVersion":1,"referencedResources":`+refs+`}`)
	}
	t.Run("one image", func(t *testing.T) {
		mustDecodeOne(t, record(`{"ACS::ECD::Desktop":["ecd-1"],"ACS::AppStreaming::Image":["img-r1"]}`), trigger.Image{ImageID: "img-r1"})
	})
	t.Run("the same image twice", func(t *testing.T) {
		mustDecodeOne(t, record(`{"ACS::WUYING::Image":["imgc-r2","imgc-r2"]}`), trigger.Image{ImageID: "imgc-r2"})
	})
	t.Run("responseElements wins", func(t *testing.T) {
		in := actionTrail("1", `{"eventName":"CreateImageByInstance","referencedResources":{"ACS::X::Image":["imgc-ref"]},
			"responseElements":{"Data":{"ImageId":"imgc-resp"}}}`)
		mustDecodeOne(t, in, trigger.Image{ImageID: "imgc-resp"})
	})
	skips := []struct{ name, refs string }{
		{"two images", `{"ACS::X::Image":["imgc-a","imgc-b"]}`},
		{"two types, two images", `{"ACS::X::Image":["imgc-a"],"ACS::Y::Image":["imgc-b"]}`},
		{"not an image type", `{"ACS::ECD::Desktop":["imgc-a"]}`},
		{"invalid ID", `{"ACS::X::Image":["imgc-a;b"]}`},
		{"newline injection", `{"ACS::X::Image":["imgc-a\n{\"level\":\"error\"}"]}`},
		{"not a list", `{"ACS::X::Image":"imgc-a"}`},
		{"not strings", `{"ACS::X::Image":[7,{"id":"imgc-a"}]}`},
		{"not an object", `["imgc-a"]`},
		{"a string", `"imgc-a"`},
		{"null", `null`},
	}
	for _, tc := range skips {
		t.Run(tc.name, func(t *testing.T) {
			in := record(tc.refs)
			req, err := trigger.Decode([]byte(in))
			if err != nil || len(req.Images) != 0 || len(req.Skipped) != 1 {
				t.Fatalf("Decode(%q) = %+v, %v; want one skip, no error", in, req, err)
			}
			if !strings.Contains(req.Skipped[0].Reason, "sweep") {
				t.Errorf("Decode(%q) skip reason = %q, want it to point at the sweep", in, req.Skipped[0].Reason)
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
			[]string{"CreateImageByInstance", "names no image ID", "timer sweep", "SWEEP_"}},
		// The only published EventBridge sample of an ActionTrail event
		// (an Ecs DeleteDisk) has neither requestParameters nor
		// responseElements: a delivery shaped like it is skipped, not
		// sent to the failure queue as malformed.
		{"published sample shape", actionTrail("1", `{"eventName":"CreateImageByInstance","eventVersion":1,"eventType":"ApiCall",
			"acsRegion":"cn-shanghai","serviceName":"appstream-center","referencedResources":{"ACS::ECD::Desktop":["ecd-1"]}}`),
			[]string{"names no image ID", "timer sweep"}},
		{"responseElements null", actionTrail("1", `{"eventName":"CreateImageFromAppInstanceGroup","responseElements":null}`),
			[]string{"CreateImageFromAppInstanceGroup", "timer sweep"}},
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
		// A product the code does not know is refused rather than copied
		// as the default CloudApp, which would be the wrong product.
		{"unknown instance type", `{"eventName":"CreateImageByInstance","requestParameters":{"InstanceType":"CloudPhone"},
			"responseElements":{"Data":{"ImageId":"imgc-a"}}}`, "CloudPhone"},
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
