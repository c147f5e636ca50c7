package main

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/image-distributor/image-distributor/internal/fctest"
)

func TestStatusSummary(t *testing.T) {
	one := `{"imageId":"imgc-a","status":"AVAILABLE","versionId":"iv-a","productType":"CloudApp","sourceRegion":"cn-shanghai","verdict":"incomplete",` +
		`"regions":[{"region":"cn-hangzhou","state":"done"},{"region":"cn-beijing","state":"copying","progress":"40%"},{"region":"cn-shenzhen","state":"failed"}]}`
	all := `{"images":[` +
		`{"imageId":"imgc-a","status":"AVAILABLE","verdict":"incomplete","regions":[{"region":"cn-hangzhou","state":"missing"},{"region":"cn-beijing","state":"done"}],"nextSweep":{"action":"start","regions":["cn-hangzhou"]}},` +
		`{"imageId":"imgc-b","status":"CREATING","verdict":"in-progress","regions":[],"nextSweep":{"action":"deferred","code":"ImageNotReady"}}],` +
		`"listing":{"complete":false,"pagesListed":3,"pagesTotal":30,"imagesNotReached":2700},"message":"a note"}`
	tests := []struct {
		name, payload, want string
	}{
		{"one image: a row per region, no next-sweep column", httpPayloadString(t, one),
			"IMAGE   IMAGE STATUS  VERDICT     REGION       STATE    PROGRESS\n" +
				"imgc-a  AVAILABLE     incomplete  cn-hangzhou  done\n" +
				"                                  cn-beijing   copying  40%\n" +
				"                                  cn-shenzhen  failed\n"},
		{"every image: what the next sweep does, and the listing", httpPayloadString(t, all),
			"IMAGE   IMAGE STATUS  VERDICT      NEXT SWEEP         REGION       STATE    PROGRESS\n" +
				"imgc-a  AVAILABLE     incomplete   start cn-hangzhou  cn-hangzhou  missing\n" +
				"                                                      cn-beijing   done\n" +
				"imgc-b  CREATING      in-progress  deferred           (none)\n" +
				"listing incomplete: 3 of 30 pages before the deadline; 2700 images not reached\n" +
				"a note\n"},
		{"a listing that shifted says why", httpPayloadString(t, `{"images":[],"listing":{"complete":false,"pagesListed":2,"pagesTotal":2,"imagesNotReached":1,"reason":"images were added"}}`),
			"no images\nlisting incomplete: 2 of 2 pages; 1 images not reached: images were added\n"},
		{"no image", httpPayloadString(t, `{"images":[],"listing":{"complete":true,"pagesListed":0,"pagesTotal":0,"imagesNotReached":0},"message":"the sweep manages no image"}`),
			"no images\nlisting complete: 0 of 0 pages\nthe sweep manages no image\n"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := readAnswer(fctest.Result{Payload: []byte(tc.payload)})
			var b strings.Builder
			a.summary(&b, nil)
			if diff := cmp.Diff(tc.want, b.String()); diff != "" {
				t.Errorf("summary (-want +got):\n%s", diff)
			}
		})
	}
}

func httpPayloadString(t *testing.T, body string) string {
	t.Helper()
	return string(httpPayload(t, 200, body, false))
}

func TestDestinations(t *testing.T) {
	env := []string{"PATH=/bin", "DESTINATION_REGIONS=cn-hangzhou", "DESTINATION_REGIONS=cn-beijing, ap-southeast-1,"}
	if got := destinations(env); !cmp.Equal(got, []string{"cn-beijing", "ap-southeast-1"}) {
		t.Errorf("destinations(%q) = %q, want the last value's regions", env, got)
	}
}
