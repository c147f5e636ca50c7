package appstreamtest_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/image-distributor/image-distributor/internal/appstream/appstreamtest"
)

func TestScriptedErrors(t *testing.T) {
	codes := append(appstreamtest.SeedErrorCodes(), "Throttling", "Throttling.User", "Throttling.Api",
		"ServiceUnavailable", "Forbidden.RAM", "SignatureDoesNotMatch", "InvalidSecurityToken.Expired", "Made.Up")
	for _, code := range codes {
		t.Run(code, func(t *testing.T) {
			s := newServer(t)
			want := appstreamtest.ErrorResponse(code)
			s.Script(want)
			got := callSDK(t, s, testCred, nil, "imgc-1", "cn-beijing")
			if got.status != want.Status || got.code != code {
				t.Fatalf("distribute = %d %q (err %v), want %d %q", got.status, got.code, got.err, want.Status, code)
			}
			if d := s.Distributed("imgc-1"); len(d) != 0 {
				t.Errorf("Distributed = %v after scripted error, want none", d)
			}
			// The script is consumed: the next call gets the default behaviour.
			if got := callSDK(t, s, testCred, nil, "imgc-1", "cn-beijing"); got.status != 200 {
				t.Errorf("second distribute = %+v, want 200", got)
			}
		})
	}
}

func TestScriptedShapes(t *testing.T) {
	tests := []struct {
		name   string
		resp   appstreamtest.Response
		status int
		code   string
		reset  bool
	}{
		{name: "html 502", resp: appstreamtest.Response{Status: 502, RawBody: "<html>502 Bad Gateway</html>"}, status: 502},
		{name: "gateway 500", resp: appstreamtest.InternalServerError(), status: 500, code: "InternalError"},
		{name: "bare 503", resp: appstreamtest.Response{Status: 503}, status: 503, code: "ServiceUnavailable"},
		{name: "code defaults to 400", resp: appstreamtest.Response{Code: "Image.NotExist"}, status: 400, code: "Image.NotExist"},
		{name: "default after delay", resp: appstreamtest.Response{Delay: time.Millisecond}, status: 200},
		{name: "reset", resp: appstreamtest.Response{Reset: true}, reset: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newServer(t)
			s.Script(tc.resp)
			got := callSDK(t, s, testCred, nil, "imgc-1", "cn-beijing")
			if tc.reset {
				if got.err == nil {
					t.Fatalf("distribute = %+v, want a transport error", got)
				}
				return
			}
			if got.err != nil || got.status != tc.status || got.code != tc.code {
				t.Fatalf("distribute = %d %q (err %v), want %d %q", got.status, got.code, got.err, tc.status, tc.code)
			}
		})
	}
}

func TestDelayAndLatency(t *testing.T) {
	const d = 150 * time.Millisecond
	tests := []struct {
		name  string
		setup func(*appstreamtest.Server)
	}{
		{name: "scripted delay", setup: func(s *appstreamtest.Server) { s.Script(appstreamtest.Response{Delay: d}) }},
		{name: "latency", setup: func(s *appstreamtest.Server) { s.SetLatency(d) }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s := newServer(t)
			tc.setup(s)
			start := time.Now()
			got := callSDK(t, s, testCred, nil, "imgc-1", "cn-beijing")
			if elapsed := time.Since(start); got.status != 200 || elapsed < d {
				t.Fatalf("distribute = %+v after %v, want 200 after at least %v", got, elapsed, d)
			}
		})
	}
}

func TestQPSLimit(t *testing.T) {
	s := newServer(t)
	s.SetQPSLimit(2)
	const n = 10
	ok := 0
	for i := range n {
		got := callSDK(t, s, testCred, nil, fmt.Sprintf("imgc-%d", i), "cn-beijing")
		switch {
		case got.status == 200:
			ok++
		case got.status != 400 || got.code != "Throttling.User":
			t.Fatalf("call %d = %+v, want 200 or 400 Throttling.User", i, got)
		}
	}
	// Burst 2, refilling at 2/s: a quick loop gets 2, maybe 3, through.
	if ok < 2 || ok > 5 || s.Throttled() != n-ok {
		t.Errorf("succeeded %d, Throttled() = %d, want 2..5 and the rest throttled", ok, s.Throttled())
	}
}

func TestConcurrentCalls(t *testing.T) {
	s := newServer(t)
	const n = 200
	results := make([]outcome, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			// Odd calls race for one image; even ones each have their own.
			image := "imgc-shared"
			if i%2 == 0 {
				image = fmt.Sprintf("imgc-%d", i)
			}
			results[i] = callSDK(t, s, testCred, nil, image, "cn-beijing")
		})
	}
	wg.Wait()
	sharedOK := 0
	for i, r := range results {
		switch {
		case i%2 == 0 && r.status != 200:
			t.Errorf("call %d = %+v, want 200", i, r)
		case i%2 == 1 && r.status == 200:
			sharedOK++
		}
	}
	if sharedOK != 1 || len(s.Calls()) != n {
		t.Errorf("shared image successes %d, calls %d, want 1 and %d", sharedOK, len(s.Calls()), n)
	}
}
