package trigger_test

import (
	"strings"
	"testing"

	"github.com/image-distributor/image-distributor/internal/trigger"
)

func get(query map[string]string) *trigger.HTTPCall {
	return &trigger.HTTPCall{Method: "GET", Query: query}
}

// TestParseQuery: a GET asks where one image is, or with no parameter
// where every managed image is. Whatever it rejects names the parameter,
// stays on one line and echoes a bounded part of the input.
func TestParseQuery(t *testing.T) {
	q := func(kv ...string) map[string]string {
		m := map[string]string{}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return m
	}
	withBody := get(q("imageId", "imgc-abc"))
	withBody.Body = `{"imageId":"imgc-abc"}`
	tests := []parseCase{
		{name: "every managed image", call: get(nil)},
		{name: "every managed image, empty query", call: get(q())},
		{name: "one image", call: get(q("imageId", "imgc-abc")), want: trigger.Image{ImageID: "imgc-abc"}},
		{name: "img- image ID", call: get(q("imageId", "img-abc")), want: trigger.Image{ImageID: "img-abc"}},
		{name: "version and regions", call: get(q("imageId", "imgc-abc", "versionId", "iv-1", "destinationRegions", "cn-hangzhou,cn-beijing")),
			want: trigger.Image{ImageID: "imgc-abc", VersionID: "iv-1", Destinations: []string{"cn-hangzhou", "cn-beijing"}}},
		{name: "spaces around regions", call: get(q("imageId", "imgc-abc", "destinationRegions", "cn-hangzhou, cn-beijing")),
			want: trigger.Image{ImageID: "imgc-abc", Destinations: []string{"cn-hangzhou", "cn-beijing"}}},
		{name: "a content type is ignored", call: &trigger.HTTPCall{Method: "GET", ContentType: "text/plain", Query: q("imageId", "imgc-abc")},
			want: trigger.Image{ImageID: "imgc-abc"}},

		{name: "a body", call: withBody, status: 400, code: "InvalidRequest", msg: "a GET takes no body"},
		{name: "unknown parameter", call: get(q("imageId", "imgc-abc", "productType", "CloudApp")), status: 400, code: "InvalidRequest",
			msg: `unknown parameter "productType"; a GET takes imageId, versionId, destinationRegions`},
		{name: "misspelt parameter", call: get(q("ImageId", "imgc-abc")), status: 400, code: "InvalidRequest", msg: `"ImageId"`},
		{name: "huge parameter name clipped", call: get(q(strings.Repeat("k", 4000), "x")), status: 400, code: "InvalidRequest", msg: "…"},
		{name: "newline in a parameter name", call: get(q("imageId\nX-Injected", "imgc-abc")), status: 400, code: "InvalidRequest", msg: `\n`},
		{name: "empty image ID", call: get(q("imageId", "")), status: 400, code: "InvalidRequest", msg: "imageId is empty"},
		{name: "empty version", call: get(q("imageId", "imgc-abc", "versionId", "")), status: 400, code: "InvalidRequest", msg: "versionId is empty"},
		{name: "version without image", call: get(q("versionId", "iv-1")), status: 400, code: "InvalidRequest", msg: "need imageId"},
		{name: "regions without image", call: get(q("destinationRegions", "cn-hangzhou")), status: 400, code: "InvalidRequest", msg: "need imageId"},
		{name: "hostile image ID", call: get(q("imageId", "imgc-../../etc/passwd")), status: 400, code: "InvalidRequest", msg: "imgc- or img-"},
		{name: "newline in the image ID", call: get(q("imageId", "imgc-abc\nlevel=error")), status: 400, code: "InvalidRequest", msg: `imgc-abc\n`},
		{name: "two image IDs, as FC joins them", call: get(q("imageId", "imgc-a,imgc-b")), status: 400, code: "InvalidRequest", msg: "imgc-a,imgc-b"},
		{name: "long image ID clipped", call: get(q("imageId", "imgc-"+strings.Repeat("a", 5000))), status: 400, code: "InvalidRequest", msg: "…"},
		{name: "bad version", call: get(q("imageId", "imgc-abc", "versionId", "1")), status: 400, code: "InvalidRequest", msg: "iv-"},
		{name: "bad region", call: get(q("imageId", "imgc-abc", "destinationRegions", "cn-hangzhou,../x")), status: 400, code: "InvalidRequest", msg: "destinationRegions"},
		{name: "an empty region", call: get(q("imageId", "imgc-abc", "destinationRegions", "cn-hangzhou,,cn-beijing")), status: 400, code: "InvalidRequest", msg: `region ""`},
		{name: "too many regions", call: get(q("imageId", "imgc-abc", "destinationRegions", strings.Repeat("cn-hangzhou,", 100000)+"cn-beijing")),
			status: 400, code: "InvalidRequest", msg: "lists 100001 regions, more than 64"},
	}
	runParseCases(t, tests, true)
}
