package handler

import (
	"strings"
	"testing"
	"time"

	"github.com/image-distributor/image-distributor/internal/appstream"
)

// Item 4, the predictable refusal: an encrypted image is never asked for
// (the API answers ImageNotSupport, API-NOTES §5); it is reported refused
// on every tick, and at error level once per backoff step.
func TestSweepNeverAsksForAnEncryptedImage(t *testing.T) {
	api := oneImage(3*24*time.Hour - 30*time.Minute)
	api.images[0].Encrypted = true
	api.refuse = map[string]error{"imgc-c00000": &appstream.Error{Code: "ImageDistribute.ImageNotSupport", Class: appstream.Permanent}}
	calls, logs := runTicks(t, api, finAll, tickTime, 12)
	if len(calls) != 0 {
		t.Errorf("%d distribute calls for an encrypted image, want none", len(calls))
	}
	if n := errorLines(logs, `"status":"refused","image_id":"imgc-c00000","version_id":"iv-1","region":"cn-hangzhou","region_status":"refused","error_code":"ImageDistribute.ImageNotSupport"`); n != 1 {
		t.Errorf("%d refused error lines in 12 ticks, want 1 (the daily step)", n)
	}
	if n := strings.Count(logs, `"status":"refused","task_id"`); n != 12 {
		t.Errorf("%d image lines say refused, want one a tick", n)
	}
}
