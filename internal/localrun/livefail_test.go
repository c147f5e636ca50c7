package main

import (
	"strings"
	"testing"

	"github.com/image-distributor/image-distributor/internal/appstream/appstreamtest"
)

// Each way -live cannot go on ends it before the build, with what to do.
func TestLiveFailsFast(t *testing.T) {
	const listAction = "appstreaming:ListImage"
	tests := []struct {
		name  string
		setup func(t *testing.T) (home, ca string, extra, args []string)
		code  int
		want  []string
	}{
		{"no credentials", func(t *testing.T) (string, string, []string, []string) {
			return t.TempDir(), "", nil, []string{"-live"}
		}, exitFailed, []string{"ALIBABA_CLOUD_ACCESS_KEY_ID", "ALIBABA_CLOUD_ACCESS_KEY_SECRET", "`aliyun configure`"}},
		{"a profile that is not there", func(t *testing.T) (string, string, []string, []string) {
			home := writeProfile(t)
			return home, "", []string{"ALIBABA_CLOUD_PROFILE=other-role"}, []string{"-live"}
		}, exitFailed, []string{`has no profile "other-role"`, "it has other, dev", "`aliyun configure`"}},
		{"no route to the endpoint", func(t *testing.T) (string, string, []string, []string) {
			return writeProfile(t), "", nil, []string{"-live", "-env", "APPSTREAM_ENDPOINT=https://" + closedPort(t)}
		}, exitFailed, []string{"cannot reach the appstream-center API at https://127.0.0.1:", "connection refused"}},
		{"a certificate nobody trusts", func(t *testing.T) (string, string, []string, []string) {
			srv, _ := tlsStandIn(t, liveKey)
			return writeProfile(t), "", nil, []string{"-live", "-env", endpointArg(srv)}
		}, exitFailed, []string{"cannot reach the appstream-center API at https://127.0.0.1:", "certificate"}},
		{"plain http", func(t *testing.T) (string, string, []string, []string) {
			return writeProfile(t), "", nil, []string{"-live", "-env", "APPSTREAM_ENDPOINT=http://127.0.0.1:1"}
		}, exitUsage, []string{"APPSTREAM_ENDPOINT=http://127.0.0.1:1: -live speaks https only"}},
		{"an unknown key", func(t *testing.T) (string, string, []string, []string) {
			srv, ca := tlsStandIn(t, appstreamtest.Credential{AccessKeyID: "LTAIsomeoneElse", AccessKeySecret: "x"})
			return writeProfile(t), ca, nil, []string{"-live", "-env", endpointArg(srv)}
		}, exitFailed, []string{"InvalidAccessKeyId.NotFound", "unknown to Alibaba Cloud or disabled", listAction}},
		{"a key without the permission", func(t *testing.T) (string, string, []string, []string) {
			srv, ca := tlsStandIn(t, liveKey)
			srv.SetListError(appstreamtest.ErrorResponse("Forbidden.RAM"))
			return writeProfile(t), ca, nil, []string{"-live", "-env", endpointArg(srv)}
		}, exitFailed, []string{"may not list images", "Forbidden.RAM", "Grant it " + listAction}},
		{"a wrong secret in the environment", func(t *testing.T) (string, string, []string, []string) {
			srv, ca := tlsStandIn(t, liveKey)
			return t.TempDir(), ca, []string{"ALIBABA_CLOUD_ACCESS_KEY_ID=" + liveKey.AccessKeyID, "ALIBABA_CLOUD_ACCESS_KEY_SECRET=" + liveKey.SecurityToken},
				[]string{"-live", "-env", endpointArg(srv)}
		}, exitFailed, []string{"from the environment (ALIBABA_CLOUD_ACCESS_KEY_ID, ALIBABA_CLOUD_ACCESS_KEY_SECRET)", "SignatureDoesNotMatch", listAction}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			home, ca, extra, args := tc.setup(t)
			r := runLiveChild(t, home, ca, extra, append(args, "-env", "DESTINATION_REGIONS=cn-hangzhou")...)
			if r.code != tc.code {
				t.Fatalf("exit %d, want %d; stderr:\n%s", r.code, tc.code, r.stderr)
			}
			for _, w := range tc.want {
				if !strings.Contains(r.lastLine(), w) {
					t.Errorf("last line = %q\nwant %q in it", r.lastLine(), w)
				}
			}
			if strings.Contains(r.stderr, "building") {
				t.Errorf("the run built the function before failing:\n%s", r.stderr)
			}
		})
	}
}

// -live's flags are checked with the rest of the command line.
func TestLiveArgs(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"-apply"}, "-apply only lifts -live's DRY_RUN"},
		{[]string{"-live", "-env", "DRY_RUN=false"}, "-live sets DRY_RUN itself"},
		{[]string{"-env", "APPSTREAM_ENDPOINT=appstream-center.ap-southeast-1.aliyuncs.com"}, "with -live it names the real endpoint"},
	}
	for _, tc := range tests {
		if _, err := parseArgs(tc.args); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("parseArgs(%q) = %v, want an error containing %q", tc.args, err, tc.want)
		}
	}
	o, err := parseArgs([]string{"events/timer.json", "-live", "-env", "APPSTREAM_ENDPOINT=appstream-center.ap-southeast-1.aliyuncs.com", "-apply"})
	if err != nil || !o.live || !o.apply || o.env["APPSTREAM_ENDPOINT"] == "" {
		t.Errorf("parseArgs(-live -apply with an endpoint) = %+v, %v", o, err)
	}
}
