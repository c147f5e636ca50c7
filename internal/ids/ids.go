// Package ids validates the identifiers the function accepts from
// events, HTTP callers and configuration: region, image and version IDs and
// product types. Everything that reaches the distribute API passes through
// here first, so the patterns are deliberately strict.
package ids

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// The patterns are matched by hand rather than with regexp: compiling
// them at init took 0.25-0.3 ms, nearly a tenth of the cold start, as the
// {1,64} repeats expand into 64 copies each. ids_test keeps the regexps
// as the specification and checks the two agree.
//
//	region:  ^[a-z]{2,}(-[a-z0-9]+){1,4}$
//	image:   ^(imgc|img)-[a-zA-Z0-9]{1,64}$
//	version: ^iv-[a-zA-Z0-9]{1,64}$
const maxIDBody = 64

// maxRegionLen keeps a hostile caller from smuggling long strings into logs
// even when they happen to match the pattern.
const maxRegionLen = 40

// ProductTypes lists the WUYING products whose images the API distributes.
var ProductTypes = []string{"CloudApp", "CloudDesktop", "WuyingServer"}

// ValidRegion reports whether id looks like an Alibaba Cloud region ID such
// as cn-hangzhou or ap-southeast-1.
func ValidRegion(id string) bool {
	if len(id) > maxRegionLen {
		return false
	}
	head, rest, ok := strings.Cut(id, "-")
	if !ok || len(head) < 2 || !all(head, lower) {
		return false
	}
	for parts := 1; parts <= 4; parts++ {
		part, more, dash := strings.Cut(rest, "-")
		if part == "" || !all(part, func(c byte) bool { return lower(c) || digit(c) }) {
			return false
		}
		if !dash {
			return true
		}
		rest = more
	}
	return false
}

// validID reports whether id is prefix followed by 1–64 ASCII letters and
// digits.
func validID(id, prefix string) bool {
	body, ok := strings.CutPrefix(id, prefix)
	return ok && body != "" && len(body) <= maxIDBody &&
		all(body, func(c byte) bool { return lower(c) || digit(c) || 'A' <= c && c <= 'Z' })
}

func all(s string, ok func(byte) bool) bool {
	for i := range len(s) {
		if !ok(s[i]) {
			return false
		}
	}
	return true
}

func lower(c byte) bool { return 'a' <= c && c <= 'z' }
func digit(c byte) bool { return '0' <= c && c <= '9' }

// CheckRegion returns a descriptive error when id is not a region ID.
func CheckRegion(id string) error {
	if !ValidRegion(id) {
		return fmt.Errorf("region %q is not a region ID like cn-hangzhou", clip(id))
	}
	return nil
}

// imagePrefixes are the forms a WUYING image ID takes. The API's own
// examples use both: imgc- in most places, img- in
// CreateImageFromAppInstanceGroup and the ListImage ImageId filter.
var imagePrefixes = []string{"imgc-", "img-"}

// CheckImage returns a descriptive error when id is not a WUYING image ID.
func CheckImage(id string) error {
	for _, prefix := range imagePrefixes {
		if validID(id, prefix) {
			return nil
		}
	}
	return fmt.Errorf("image ID %q must be imgc- or img- followed by letters and digits", clip(id))
}

// CheckVersion accepts an empty version (the API then uses the latest one).
func CheckVersion(id string) error {
	if id != "" && !validID(id, "iv-") {
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

// echoLimit bounds how much of a rejected ID an error echoes back.
const echoLimit = 64

// clip is Clip at the IDs' own limit.
func clip(s string) string { return Clip(s, echoLimit) }

// Clip bounds untrusted text that an error or a log line echoes back to
// at most max bytes plus an ellipsis. It cuts on a rune boundary so the
// result stays valid UTF-8 in JSON logs and HTTP bodies.
func Clip(s string, max int) string {
	if len(s) <= max {
		return s
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}
