package main

import (
	"strings"
	"testing"
)

func TestCondense(t *testing.T) {
	tests := []struct{ name, line, want string }{
		{"image line",
			`{"level":"info","function":"image-distributor","request_id":"local-1","trigger":"eventbridge","image_id":"imgc-a","version_id":"iv-a","destination_regions":["cn-hangzhou","cn-beijing"],"status":"started","task_id":"tid-1","api_request_id":"X","attempts":1,"event_ids":["s/1"],"time":"2026-11-29T08:36:43Z","message":"image started"}`,
			"INF image started image_id=imgc-a destination_regions=cn-hangzhou,cn-beijing task_id=tid-1 attempts=1"},
		{"zero counts and empty values left out",
			`{"level":"warn","images":2,"started":0,"failed":2,"task_id":"","duration_ms":0,"message":"invocation finished"}`,
			"WRN invocation finished images=2 failed=2"},
		{"a status unlike the message is kept", `{"level":"error","status":"failed","message":"sweep stopped"}`, "ERR sweep stopped status=failed"},
		{"text with spaces is quoted", `{"level":"error","error":"invalid configuration: LOG_LEVEL: \"verbose\"","message":"configuration rejected"}`,
			`ERR configuration rejected error="invalid configuration: LOG_LEVEL: \"verbose\""`},
		{"objects stay JSON", `{"level":"info","progress":{"cn-hangzhou":"40%"},"message":"image in-progress"}`,
			`INF image in-progress progress={"cn-hangzhou":"40%"}`},
		{"unknown level", `{"level":"trace","message":"m"}`, "TRACE m"},
		{"not JSON", "panic: boom", "panic: boom"},
		{"JSON but not an object", `["a"]`, `["a"]`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := condense(tc.line); got != tc.want {
				t.Errorf("condense(%s)\n = %s\nwant %s", tc.line, got, tc.want)
			}
		})
	}
}

func TestExitReason(t *testing.T) {
	jsonLine := `{"level":"error","function":"image-distributor","error":"invalid configuration: LOG_LEVEL: \"verbose\" is not one of debug, info, warn, error","time":"t","message":"configuration rejected"}`
	tests := []struct {
		name  string
		lines []string
		want  string
	}{
		{"log line, then stderr", []string{jsonLine, `invalid configuration: LOG_LEVEL: "verbose" is not one of debug, info, warn, error`},
			`invalid configuration: LOG_LEVEL: "verbose" is not one of debug, info, warn, error`},
		{"stderr, then log line", []string{"invalid configuration: x", jsonLine},
			`invalid configuration: LOG_LEVEL: "verbose" is not one of debug, info, warn, error`},
		// errors.Join puts each bad variable on a line of its own.
		{"several errors become one line", []string{`{"level":"error","error":"invalid configuration: A: x\nB: y","message":"configuration rejected"}`},
			"invalid configuration: A: x; B: y"},
		{"a panic, not its stack", []string{"panic: boom", "", "goroutine 1 [running]:", "main.main()", "\t/x/main.go:9 +0x1d"}, "panic: boom"},
		{"info lines are not a reason", []string{`{"level":"info","message":"configuration loaded"}`, "FC Invoke Start RequestId: local-1", "killed by a signal"},
			"killed by a signal"},
		{"nothing said", nil, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := exitReason(tc.lines); got != tc.want {
				t.Errorf("exitReason(%q) = %q, want %q", tc.lines, got, tc.want)
			}
		})
	}
}

// TestShorten: a condensed line stays readable on one screen line; the
// regions array, which the summary shows row by row, is left out
// (issue 18: lines ran to 461 characters).
func TestShorten(t *testing.T) {
	line := `{"level":"info","image_id":"imgc-1","status":"started","regions":[{"region":"cn-hangzhou","status":"started"}],"message":"image started"}`
	if got, want := condense(line), "INF image started image_id=imgc-1"; got != want {
		t.Errorf("condense = %q, want %q", got, want)
	}
	long := strings.Repeat("x", 400)
	got := shorten(long)
	if n := len([]rune(got)); n != maxLine || !strings.HasSuffix(got, cutMark) {
		t.Errorf("shorten(400 characters) = %d characters ending %q, want %d ending %q", n, got[len(got)-10:], maxLine, cutMark)
	}
	if shorten("short") != "short" {
		t.Error("shorten changed a short line")
	}
}
