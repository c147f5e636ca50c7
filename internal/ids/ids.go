// Package ids validates the identifiers the function accepts from
// events, HTTP callers and configuration: region, image and version IDs and
// product types. Everything that reaches the distribute API passes through
// here first, so the patterns are deliberately strict.
package ids

import (
	"fmt"
	"regexp"
)

var (
	regionPattern  = regexp.MustCompile(`^[a-z]{2,}(-[a-z0-9]+){1,4}$`)
	imagePattern   = regexp.MustCompile(`^imgc-[a-zA-Z0-9]{1,64}$`)
	versionPattern = regexp.MustCompile(`^iv-[a-zA-Z0-9]{1,64}$`)
)

// maxRegionLen keeps a hostile caller from smuggling long strings into logs
// even when they happen to match the pattern.
const maxRegionLen = 40

// ProductTypes lists the WUYING products whose images the API distributes.
var ProductTypes = []string{"CloudApp", "CloudDesktop", "WuyingServer"}

// ValidRegion reports whether id looks like an Alibaba Cloud region ID such
// as cn-hangzhou or ap-southeast-1.
func ValidRegion(id string) bool {
	return len(id) <= maxRegionLen && regionPattern.MatchString(id)
}

// CheckRegion returns a descriptive error when id is not a region ID.
func CheckRegion(id string) error {
	if !ValidRegion(id) {
		return fmt.Errorf("region %q is not a region ID like cn-hangzhou", clip(id))
	}
	return nil
}

// CheckImage returns a descriptive error when id is not a centralized image ID.
func CheckImage(id string) error {
	if !imagePattern.MatchString(id) {
		return fmt.Errorf("image ID %q must be imgc- followed by letters and digits", clip(id))
	}
	return nil
}

// CheckVersion accepts an empty version (the API then uses the latest one).
func CheckVersion(id string) error {
	if id != "" && !versionPattern.MatchString(id) {
		return fmt.Errorf("version ID %q must be iv- followed by letters and digits", clip(id))
	}
	return nil
}

// CheckProductType accepts an empty product type (the configured default applies).
func CheckProductType(p string) error {
	if p == "" {
		return nil
	}
	for _, known := range ProductTypes {
		if p == known {
			return nil
		}
	}
	return fmt.Errorf("product type %q must be one of %v", clip(p), ProductTypes)
}

// clip bounds what an error echoes back of untrusted input.
func clip(s string) string {
	const max = 64
	if len(s) > max {
		return s[:max] + "…"
	}
	return s
}
