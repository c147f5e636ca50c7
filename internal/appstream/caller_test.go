package appstream_test

import (
	"testing"

	"github.com/image-distributor/image-distributor/internal/appstream"
)

func TestAboutTheCaller(t *testing.T) {
	for code, want := range map[string]bool{
		"Forbidden.RAM": true, "NoPermission": true, "InvalidAccessKeyId.NotFound": true, "SignatureDoesNotMatch": true,
		"InvalidSecurityToken.Expired": true, "InvalidTimeStamp.Expired": true, appstream.CodeNoCredentials: true,
		"ParentImageRegionDistribute.NotExist": false, "ImageRegionDistribute.NotAllow": false, "InvalidParameter": false,
		"Image.NotExist": false, "InternalError": false,
	} {
		if got := appstream.AboutTheCaller(code); got != want {
			t.Errorf("AboutTheCaller(%q) = %v, want %v", code, got, want)
		}
	}
}
