package main

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseArgs(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want options
	}{
		{"nothing", nil, options{env: map[string]string{}}},
		{"flags before the file", []string{"-env", "DRY_RUN=true", "events/timer.json"},
			options{env: map[string]string{"DRY_RUN": "true"}, events: []string{"events/timer.json"}}},
		// A flag after the file used to be ignored, so a dry run became a real one.
		{"flag after the file", []string{"events/timer.json", "-env", "DRY_RUN=true"},
			options{env: map[string]string{"DRY_RUN": "true"}, events: []string{"events/timer.json"}}},
		{"flags between files, in order", []string{"a.json", "-raw", "b.json", "-env=LOG_LEVEL=debug", "c.json"},
			options{env: map[string]string{"LOG_LEVEL": "debug"}, raw: true, events: []string{"a.json", "b.json", "c.json"}}},
		{"the later -env wins", []string{"-env", "API_QPS=1", "-env", "API_QPS=2"}, options{env: map[string]string{"API_QPS": "2"}}},
		{"an empty value is kept, to remove a preset", []string{"-env", "DESTINATION_REGIONS="},
			options{env: map[string]string{"DESTINATION_REGIONS": ""}}},
		{"a value may hold =", []string{"-env", "SWEEP_TAGS=team=a;env=prod"},
			options{env: map[string]string{"SWEEP_TAGS": "team=a;env=prod"}}},
		{"after -- everything is a file", []string{"a.json", "--", "-raw", "b.json"},
			options{env: map[string]string{}, events: []string{"a.json", "-raw", "b.json"}}},
		{"-h", []string{"events/timer.json", "-h"}, options{env: map[string]string{}, events: []string{"events/timer.json"}, help: true}},
		{"-help", []string{"-help"}, options{env: map[string]string{}, help: true}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := parseArgs(tc.args)
			if err != nil {
				t.Fatalf("parseArgs(%q) = %v", tc.args, err)
			}
			if diff := cmp.Diff(tc.want, got, cmp.AllowUnexported(options{})); diff != "" {
				t.Errorf("parseArgs(%q) (-want +got):\n%s", tc.args, diff)
			}
		})
	}
}

func TestParseArgsRefuses(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"unknown flag after the file", []string{"events/timer.json", "-dry-run"}, "-dry-run"},
		{"-env without =", []string{"-env", "DRY_RUN"}, "want KEY=VALUE"},
		{"-env with a bad name", []string{"-env", "dry run=true"}, `"dry run" is not a variable name`},
		{"-env without a value at the end", []string{"events/timer.json", "-env"}, "flag needs an argument: -env"},
		{"the stand-in's endpoint", []string{"-env", "APPSTREAM_ENDPOINT=appstream-center.cn-shanghai.aliyuncs.com"}, "APPSTREAM_ENDPOINT cannot be changed"},
		// Issue 18: a misspelt setting was passed on, ignored, and the run
		// started copies.
		{"a misspelt setting", []string{"-env", "DESTINATON_REGIONS=cn-beijing"},
			`DESTINATON_REGIONS is not a setting of the function; did you mean DESTINATION_REGIONS?`},
		{"a setting in lower case", []string{"events/timer.json", "-env", "dry_run=true"},
			`dry_run is not a setting of the function; did you mean DRY_RUN?`},
		{"the emulator's address", []string{"-env", "FC_RUNTIME_API=127.0.0.1:9000"}, "FC_RUNTIME_API cannot be changed"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parseArgs(tc.args)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("parseArgs(%q) = %v, want an error containing %q", tc.args, err, tc.want)
			}
		})
	}
}

// TestUsage checks that -h tells what the issue found missing: the event
// argument, the default event, every flag and every preset.
func TestUsage(t *testing.T) {
	var b strings.Builder
	usage(&b)
	want := []string{"[EVENT.json ...]", defaultEvent, "-env KEY=VALUE", "-raw", "-h", endpointVariable, "Exit status"}
	for _, p := range presets() {
		want = append(want, p.name+"="+p.value)
	}
	for _, w := range want {
		if !strings.Contains(b.String(), w) {
			t.Errorf("usage lacks %q:\n%s", w, b.String())
		}
	}
}
