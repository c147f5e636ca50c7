package appstreamtest_test

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/image-distributor/image-distributor/internal/appstream/appstreamtest"
)

func TestSeedErrorCodes(t *testing.T) {
	codes := appstreamtest.SeedErrorCodes()
	if len(codes) != 19 || codes[0] != "Instance.NotFound" || codes[18] != "ImageRegion.NotConfigured" {
		t.Fatalf("SeedErrorCodes() = %v, want the 19 codes of the table in order", codes)
	}
	for _, c := range codes {
		if r := appstreamtest.ErrorResponse(c); r.Status != 400 || r.Message == "" || r.Message[0] < 'A' || r.Message[0] > 'Z' {
			t.Errorf("ErrorResponse(%q) = %+v, want 400 with the table's English message", c, r)
		}
	}
}

func TestErrorResponse(t *testing.T) {
	tests := []struct {
		code string
		want appstreamtest.Response
	}{
		{"ImageDistribute.RepeatedDistribution", appstreamtest.Response{Status: 400, Code: "ImageDistribute.RepeatedDistribution", Message: "This image has been distributed to this region."}},
		{"InternalError", appstreamtest.Response{Status: 400, Code: "InternalError", Message: "Internal error."}},
		{"Throttling.User", appstreamtest.Response{Status: 400, Code: "Throttling.User", Message: "Request was denied due to user flow control."}},
		{"ServiceUnavailable", appstreamtest.Response{Status: 503, Code: "ServiceUnavailable", Message: "The request has failed due to a temporary failure of the server."}},
		{"Forbidden.RAM", appstreamtest.Response{Status: 403, Code: "Forbidden.RAM", Message: "User not authorized to operate on the specified resource, or this API doesn't support RAM."}},
		{"MissingImageId", appstreamtest.Response{Status: 400, Code: "MissingImageId", Message: "ImageId is mandatory for this action."}},
		{"Made.Up", appstreamtest.Response{Status: 400, Code: "Made.Up", Message: "The request failed with error Made.Up."}},
	}
	for _, tc := range tests {
		t.Run(tc.code, func(t *testing.T) {
			if diff := cmp.Diff(tc.want, appstreamtest.ErrorResponse(tc.code)); diff != "" {
				t.Errorf("ErrorResponse(%q) mismatch (-want +got):\n%s", tc.code, diff)
			}
		})
	}
}
