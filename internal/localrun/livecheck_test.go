package main

import (
	"strings"
	"testing"

	"github.com/image-distributor/image-distributor/internal/appstream/appstreamtest"
	"github.com/image-distributor/image-distributor/internal/reading"
)

// TestLivePlan runs -live against the stand-in over TLS, with the key
// from a temporary ~/.aliyun/config.json: read-only, the plan for the
// first tick image by image, and each planted oddity in the reading check.
func TestLivePlan(t *testing.T) {
	srv, ca := tlsStandIn(t, liveKey)
	plant(srv, 100, true)
	srv.AddImage(appstreamtest.Image{ImageID: "imgc-6h4ds8t1w3xy56za", ImageName: "sample", ProductType: "CloudApp", HomeRegion: "cn-shanghai"})
	r := runLiveChild(t, writeProfile(t), ca, nil, "-live", "-env", endpointArg(srv),
		"-env", "DESTINATION_REGIONS=cn-hangzhou,cn-beijing", "-env", "SWEEP_NAME_PATTERN=live-*",
		"-env", "ALLOWED_REGIONS=cn-hangzhou,cn-beijing,cn-shanghai", "--", sample("timer.json"), sample("http-status.json"))
	if r.code != exitOK {
		t.Fatalf("exit %d, want 0; stderr:\n%s\nstdout:\n%s", r.code, r.stderr, r.stdout)
	}
	for _, c := range srv.Calls() {
		if c.Action != "ListImage" {
			t.Errorf("call %s %s without -apply", c.Action, c.ImageID)
		}
		if c.AccessKeyID != liveKey.AccessKeyID || c.SecurityToken != liveKey.SecurityToken {
			t.Errorf("call signed by %q, want the profile's key and token", c.AccessKeyID)
		}
	}
	want := []string{
		"Live run against your account (read-only: DRY_RUN=true",
		`profile "dev" (current, mode StsToken)`,
		"DRY_RUN=true",
		"== what the first real tick would do, image by image",
		"imgc-good001    AVAILABLE     incomplete  start cn-hangzhou,cn-beijing", // padded to imgc-oddcopies
		"imgc-good000    AVAILABLE     complete",
		"dry-run", // the timer's own answer
		"WRN ListImage answered values the function does not read as it expects",
		"== " + sample("http-status.json") + ": HTTP 200",
		"Read-only: DRY_RUN=true, so nothing was started.",
		"Please send us this reading check",
	}
	for _, k := range reading.Kinds {
		n := "1"
		if k == reading.NoHome { // imgc-oddcopies's two regions too
			n = "2"
		}
		want = append(want, "  "+k.Label()+": "+n+"\n")
	}
	want = append(want, "imgc-oddtime: GmtCreate", "imgc-oddstatus: the copy in cn-beijing has Status", "imgc-oddversion: no VersionId",
		"imgc-oddhome: ImageRegionList is", "imgc-oddtype: ImageName is a number (42)", "imgc-oddcopies: ImageRegionList holds")
	for _, w := range want {
		if !strings.Contains(r.stdout, w) {
			t.Errorf("stdout lacks %q:\n%s", w, r.stdout)
		}
	}
	if strings.Contains(r.stdout, "ALIBABA_CLOUD_ACCESS_KEY") {
		t.Errorf("the function's environment holds the key; FC hands it over per invocation:\n%s", r.stdout)
	}
}

// With -apply the copies are started, and the summary says so.
func TestLiveApply(t *testing.T) {
	srv, ca := tlsStandIn(t, liveKey)
	plant(srv, 2, false)
	r := runLiveChild(t, writeProfile(t), ca, nil, "-live", "-apply", "-env", endpointArg(srv),
		"-env", "DESTINATION_REGIONS=cn-hangzhou", "-env", "SWEEP_NAME_PATTERN=live-imgc-good*")
	if r.code != exitOK {
		t.Fatalf("exit %d, want 0; stderr:\n%s\nstdout:\n%s", r.code, r.stderr, r.stdout)
	}
	var started []string
	for _, c := range srv.Calls() {
		if c.Action == "StartTaskForDistributeImage" {
			started = append(started, c.ImageID)
		}
	}
	if len(started) != 1 || started[0] != "imgc-good001" {
		t.Errorf("started %v, want imgc-good001 alone (imgc-good000 is in cn-hangzhou already)", started)
	}
	for _, w := range []string{"-apply: DRY_RUN=false, copies the function decides on ARE STARTED", "Copies started in your account: imgc-good001 to cn-hangzhou (task tid-"} {
		if !strings.Contains(r.stdout, w) {
			t.Errorf("stdout lacks %q:\n%s", w, r.stdout)
		}
	}
}

// A first page the function refuses does not stop -live: the key works,
// and the reading check says why the function cannot read the page.
func TestLiveUnreadableFirstPage(t *testing.T) {
	srv, ca := tlsStandIn(t, liveKey)
	plant(srv, 2, true)
	r := runLiveChild(t, writeProfile(t), ca, nil, "-live", "-env", endpointArg(srv),
		"-env", "DESTINATION_REGIONS=cn-hangzhou", "-env", "SWEEP_NAME_PATTERN=live-*")
	if r.code != exitFailed {
		t.Fatalf("exit %d, want %d (the tick fails on page 1); stderr:\n%s", r.code, exitFailed, r.stderr)
	}
	for _, w := range []string{"ListImage page 1 cannot be read as the function reads it", "imgc-oddtype: ImageName is a number (42)", "Read-only: DRY_RUN=true"} {
		if !strings.Contains(r.stdout, w) {
			t.Errorf("stdout lacks %q:\n%s", w, r.stdout)
		}
	}
}
