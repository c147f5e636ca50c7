package trigger_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/image-distributor/image-distributor/internal/trigger"
)

func timer(payload string) string {
	return `{"triggerTime":"2026-11-28T18:00:00Z","triggerName":"nightly","payload":` + strconv.Quote(payload) + `}`
}

func TestDecodeTimer(t *testing.T) {
	tests := []struct {
		name  string
		in    string
		want  []trigger.Image
		code  string // empty for success
		wants []string
	}{
		{name: "one image", in: timer(`{"images":[{"imageId":"imgc-a"}]}`),
			want: []trigger.Image{{ImageID: "imgc-a"}}},
		{name: "every field", in: timer(`{"images":[{"imageId":"imgc-a","versionId":"iv-1","productType":"WuyingServer",
			"sourceRegion":"cn-shanghai","destinationRegions":["cn-beijing","cn-hangzhou"]}]}`),
			want: []trigger.Image{{ImageID: "imgc-a", VersionID: "iv-1", ProductType: "WuyingServer",
				SourceRegion: "cn-shanghai", Destinations: []string{"cn-beijing", "cn-hangzhou"}}}},
		{name: "trigger name alone", in: `{"triggerName":"n","payload":"{\"images\":[{\"imageId\":\"imgc-a\"}]}"}`,
			want: []trigger.Image{{ImageID: "imgc-a"}}},
		{name: "empty payload", in: timer(""), want: nil},
		{name: "blank payload", in: timer("  "), want: nil},
		{name: "no payload", in: `{"triggerTime":"2026-11-28T18:00:00Z","triggerName":"nightly"}`, want: nil},
		{name: "empty object", in: timer("{}"), want: nil},
		{name: "payload not JSON", in: timer("distribute imgc-a"), code: "InvalidPayload", wants: []string{`{"images":`, "syntax error"}},
		{name: "payload truncated", in: timer(`{"images":[{"imageId":"imgc-a"}`), code: "InvalidPayload", wants: []string{"JSON ends early"}},
		{name: "payload an array", in: timer(`[{"imageId":"imgc-a"}]`), code: "InvalidPayload", wants: []string{"an object"}},
		{name: "unknown field", in: timer(`{"images":[{"imageId":"imgc-a"}],"regions":["cn-beijing"]}`), code: "InvalidPayload", wants: []string{`"regions"`}},
		{name: "images not an array", in: timer(`{"images":{"imageId":"imgc-a"}}`), code: "InvalidPayload", wants: []string{`"images" must be an array, not object`}},
		{name: "trailing data", in: timer(`{"images":[{"imageId":"imgc-a"}]} {}`), code: "InvalidPayload", wants: []string{"after the JSON value"}},
		{name: "no images", in: timer(`{"images":[]}`), want: nil},
		{name: "null images", in: timer(`{"images":null}`), want: nil},
		{name: "all images bad", in: timer(`{"images":[{"imageId":"bad"},7]}`), code: "InvalidPayload",
			wants: []string{"2 of 2 timer payload images rejected", "images[0]", "imgc-", "images[1]", "an object"}},
		{name: "partial bad images", in: timer(`{"images":[{"imageId":"imgc-a"},{"imageId":"imgc-b","typo":1},{"imageId":"imgc-c","sourceRegion":"../x"}]}`),
			want: []trigger.Image{{ImageID: "imgc-a"}}, code: "InvalidPayload",
			wants: []string{"2 of 3 timer payload images rejected", "images[1]", `"typo"`, "images[2]", "../x"}},
		{name: "payload not a string", in: `{"triggerTime":"t","payload":{"images":[]}}`, code: "MalformedEvent", wants: []string{`"payload" must be a string`}},
		{name: "trigger time not a string", in: `{"triggerTime":1764352800,"payload":"{}"}`, code: "MalformedEvent", wants: []string{`"triggerTime" must be a string`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req, err := trigger.Decode([]byte(tc.in))
			if tc.code == "" {
				if err != nil {
					t.Fatalf("Decode(%q) error = %v, want nil", tc.in, err)
				}
			} else {
				mustInputError(t, "Decode("+tc.in+")", err, 400, tc.code, tc.wants...)
			}
			if len(tc.want) > 0 && req.Kind != trigger.KindTimer {
				t.Errorf("Decode(%q).Kind = %v, want %v", tc.in, req.Kind, trigger.KindTimer)
			}
			if diff := cmp.Diff(tc.want, req.Images); diff != "" {
				t.Errorf("Decode(%q) images mismatch (-want +got):\n%s", tc.in, diff)
			}
		})
	}
}

// The tick's own time is the sweep's clock; absent or unreadable, it is
// zero and the handler falls back on its own.
func TestDecodeTimerTickTime(t *testing.T) {
	tests := []struct {
		in   string
		want time.Time
	}{
		{timer(""), time.Date(2026, 11, 28, 18, 0, 0, 0, time.UTC)},
		{`{"triggerTime":"2026-12-06T22:50:00+08:00","triggerName":"n"}`, time.Date(2026, 12, 6, 14, 50, 0, 0, time.UTC)},
		{`{"triggerName":"n","payload":""}`, time.Time{}},
		{`{"triggerTime":"2026-12-06 22:50:00","triggerName":"n"}`, time.Time{}},
	}
	for _, tc := range tests {
		req, err := trigger.Decode([]byte(tc.in))
		if err != nil {
			t.Fatalf("Decode(%q) error = %v", tc.in, err)
		}
		if !req.TickTime.Equal(tc.want) {
			t.Errorf("Decode(%q).TickTime = %v, want %v", tc.in, req.TickTime, tc.want)
		}
	}
}
