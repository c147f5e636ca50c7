package main

import (
	"regexp"
	"strings"
	"testing"
)

// TestRegionTypo: a region that is not a known Alibaba Cloud region is
// named in one line, with the nearest known one, before the run; the
// function warns at cold start; the stand-in refuses the call as the API
// would, and the image fails. It used to print "started cn-hangzou,…".
func TestRegionTypo(t *testing.T) {
	r := runLocal(t, "-env", "DESTINATION_REGIONS=cn-hangzou,cn-beijing", sample("eventbridge-image-created.json"))
	if r.code != exitOK {
		t.Fatalf("exit %d, want %d; stderr:\n%s\nstdout:\n%s", r.code, exitOK, r.stderr, r.stdout)
	}
	first := strings.SplitN(r.stderr, "\n", 2)[0]
	if want := "localrun: DESTINATION_REGIONS: cn-hangzou is not a known Alibaba Cloud region (did you mean cn-hangzhou?)"; !strings.HasPrefix(first, want) {
		t.Errorf("first line = %q, want it to start %q", first, want)
	}
	for _, w := range []string{"WRN configuration doubtful", "InvalidParameter", "-> 400 InvalidParameter"} {
		if !strings.Contains(r.stdout, w) {
			t.Errorf("stdout lacks %q:\n%s", w, r.stdout)
		}
	}
	if strings.Contains(r.stdout, "started") {
		t.Errorf("a copy started to a region that does not exist:\n%s", r.stdout)
	}
}

// TestShellSettingPassedOn: DRY_RUN=true go run ./internal/localrun is a
// dry run (it used to start copies), and the listing says where it came
// from; -env still wins, and the stand-in's endpoint is never taken.
func TestShellSettingPassedOn(t *testing.T) {
	t.Setenv("DRY_RUN", "true")
	t.Setenv("APPSTREAM_ENDPOINT", "appstream-center.cn-shanghai.aliyuncs.com")
	t.Setenv("LOG_LEVEL", "verbose")
	r := runLocal(t, "-env", "LOG_LEVEL=info", sample("eventbridge-image-created.json"))
	if r.code != exitOK {
		t.Fatalf("exit %d, want 0; stderr:\n%s\nstdout:\n%s", r.code, r.stderr, r.stdout)
	}
	if !regexp.MustCompile(`(?m)^  shell +DRY_RUN=true$`).MatchString(r.stdout) || !strings.Contains(r.stdout, "dry-run") {
		t.Errorf("stdout lacks the shell's DRY_RUN=true, or the dry run:\n%s", r.stdout)
	}
	if !strings.Contains(r.stderr, "localrun: APPSTREAM_ENDPOINT from your shell is not passed on") {
		t.Errorf("stderr does not say the shell's APPSTREAM_ENDPOINT is left out:\n%s", r.stderr)
	}
	if strings.Contains(r.stdout, "StartTaskForDistributeImage") {
		t.Errorf("a dry run called the API:\n%s", r.stdout)
	}
}
