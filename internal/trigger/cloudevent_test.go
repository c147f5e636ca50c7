package trigger_test

import (
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/image-distributor/image-distributor/internal/trigger"
)

const direct = `{"imageId":"imgc-abc","regionId":"cn-hangzhou"}`

var directImage = trigger.Image{ImageID: "imgc-abc", SourceRegion: "cn-hangzhou", EventID: "test/1"}

func TestDecodeCloudEventShapes(t *testing.T) {
	quoted := strconv.Quote(cloudEvent("1", direct))
	tests := []struct {
		name string
		in   string
		want []trigger.Image
	}{
		{"object", cloudEvent("1", direct), []trigger.Image{directImage}},
		{"object with surrounding space", "\n\t " + cloudEvent("1", direct) + " \n", []trigger.Image{directImage}},
		{"array", join(cloudEvent("1", direct)), []trigger.Image{directImage}},
		{"array of JSON strings", join(quoted), []trigger.Image{directImage}},
		{"mixed array", join(quoted, cloudEvent("2", `{"imageId":"img-def"}`)), []trigger.Image{directImage,
			{ImageID: "img-def", EventID: "test/2"}}},
		{"data as a JSON string", cloudEvent("1", strconv.Quote(direct)), []trigger.Image{directImage}},
		{"string item with data as a string", join(strconv.Quote(cloudEvent("1", strconv.Quote(direct)))), []trigger.Image{directImage}},
		{"without specversion", `{"id":"1","source":"test","type":"t","data":` + direct + `}`, []trigger.Image{directImage}},
		{"capitalised data keys", cloudEvent("1", `{"ImageId":"imgc-abc","VersionId":"iv-1","ProductType":"WuyingServer","RegionId":"cn-hangzhou"}`),
			[]trigger.Image{{ImageID: "imgc-abc", VersionID: "iv-1", ProductType: "WuyingServer", SourceRegion: "cn-hangzhou", EventID: "test/1"}}},
		// aliyunregionid is the bus's region, the trigger's own: it says
		// nothing about where a centralized image was built.
		{"envelope region is not a source", cloudEvent("1", `{"imageId":"imgc-abc"}`),
			[]trigger.Image{{ImageID: "imgc-abc", EventID: "test/1"}}},
		{"malformed envelope region is not read", `{"source":"test","id":"1","type":"t","aliyunregionid":"x y","data":{"imageId":"imgc-abc"}}`,
			[]trigger.Image{{ImageID: "imgc-abc", EventID: "test/1"}}},
		{"no region anywhere", `{"specversion":"1.0","id":"1","source":"test","type":"t","data":{"imageId":"imgc-abc"}}`,
			[]trigger.Image{{ImageID: "imgc-abc", EventID: "test/1"}}},
		{"unknown data fields ignored", cloudEvent("1", `{"imageId":"imgc-abc","regionId":"cn-hangzhou","extra":{"x":[1]}}`),
			[]trigger.Image{directImage}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req, err := trigger.Decode([]byte(tc.in))
			if err != nil {
				t.Fatalf("Decode(%q) error = %v, want nil", tc.in, err)
			}
			if req.Kind != trigger.KindEvent {
				t.Errorf("Decode(%q).Kind = %v, want %v", tc.in, req.Kind, trigger.KindEvent)
			}
			if diff := cmp.Diff(tc.want, req.Images); diff != "" {
				t.Errorf("Decode(%q) images mismatch (-want +got):\n%s", tc.in, diff)
			}
		})
	}
}

func TestDecodeCloudEventRejects(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		wants []string
	}{
		{"bad image ID", cloudEvent("1", `{"imageId":"m-bp1abc"}`), []string{"test/1", "imgc-", "img-"}},
		{"bad version", cloudEvent("1", `{"imageId":"imgc-a","versionId":"v1"}`), []string{"iv-"}},
		{"bad product type", cloudEvent("1", `{"imageId":"imgc-a","productType":"cloudapp"}`), []string{"CloudApp"}},
		{"bad region in data", cloudEvent("1", `{"imageId":"imgc-a","regionId":"Hangzhou"}`), []string{"sourceRegion"}},
		{"data string not JSON", cloudEvent("1", `"imageId=imgc-a"`), []string{"test/1", "data"}},
		{"data an array", cloudEvent("1", `[{"imageId":"imgc-a"}]`), []string{"data", "an object"}},
		{"no source", join(`{"type":"t","data":{"imageId":"imgc-a"}}`), []string{"source, type and data"}},
		{"item a number", join("7"), []string{"an object"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req, err := trigger.Decode([]byte(tc.in))
			mustInputError(t, "Decode("+tc.in+")", err, 400, "MalformedEvent", append(tc.wants, "1 of 1 events rejected")...)
			if len(req.Images) != 0 {
				t.Errorf("Decode(%q).Images = %v, want none", tc.in, req.Images)
			}
		})
	}
}

func TestDecodePartialBatch(t *testing.T) {
	in := join(
		cloudEvent("1", direct),
		cloudEvent("2", `{"imageId":"../../etc"}`),
		`{"nonsense":true}`,
		actionTrail("3", `{"eventName":"DeleteImage","requestParameters":{"ImageId":"imgc-old"}}`),
		cloudEvent("4", `{"imageId":"imgc-def","regionId":"cn-beijing"}`),
	)
	req, err := trigger.Decode([]byte(in))
	mustInputError(t, "Decode(partial batch)", err, 400, "MalformedEvent", "2 of 5 events rejected", "item 1", "test/2", "item 2")
	want := trigger.Request{Kind: trigger.KindEvent,
		Images:  []trigger.Image{directImage, {ImageID: "imgc-def", SourceRegion: "cn-beijing", EventID: "test/4"}},
		Skipped: []trigger.Skip{{EventID: "acs.appstreaming/3", Reason: "DeleteImage does not create an image"}},
	}
	if diff := cmp.Diff(want, req); diff != "" {
		t.Errorf("Decode(partial batch) mismatch (-want +got):\n%s", diff)
	}
}

func TestDecodeBatchReportsFewErrors(t *testing.T) {
	items := []string{cloudEvent("ok", direct)}
	for i := 0; i < 20; i++ {
		items = append(items, cloudEvent(strconv.Itoa(i), `{"imageId":"bad"}`))
	}
	req, err := trigger.Decode([]byte(join(items...)))
	mustInputError(t, "Decode(20 bad items)", err, 400, "MalformedEvent", "20 of 21 events rejected", "item 5", "and 15 more")
	if len(req.Images) != 1 {
		t.Errorf("Decode(20 bad items).Images = %v, want the one good image", req.Images)
	}
}
