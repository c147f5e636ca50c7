package fctest_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/image-distributor/image-distributor/internal/fctest"
)

func TestContextMetadata(t *testing.T) {
	// Set in the parent only: Start must not pass it on to the function.
	t.Setenv("ALIBABA_CLOUD_ACCESS_KEY_ID", "leaked-from-parent")
	creds := fctest.Credentials{AccessKeyID: "ak", AccessKeySecret: "sk", SecurityToken: "sts"}
	rt, _, _ := startEcho(t, fctest.Options{Credentials: creds, Region: "cn-hangzhou"})

	got := mustReply(t, mustInvoke(t, rt, fctest.Invocation{Event: []byte("x"), RequestID: "my-req-1", RetryCount: 2}))
	want := echoReply{
		Event: "x", RequestID: "my-req-1", AccessKeyID: "ak", AccessKeySecret: "sk", SecurityToken: "sts",
		Region: "cn-hangzhou", AccountID: "1234567890123456", FunctionName: "image-distributor",
		TimeoutSeconds: 60, RetryCount: 2, DeadlineInMS: got.DeadlineInMS,
	}
	if got != want {
		t.Errorf("reply = %+v, want %+v", got, want)
	}
}

func TestDeadline(t *testing.T) {
	rt, _, _ := startEcho(t, fctest.Options{Timeout: 30 * time.Second})
	tests := []struct {
		name        string
		timeout     time.Duration
		wantSeconds int
	}{
		{"runtime default", 0, 30},
		{"per invocation", 5 * time.Second, 5},
		{"sub-second rounds up", 1500 * time.Millisecond, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := mustReply(t, mustInvoke(t, rt, fctest.Invocation{Event: []byte("x"), Timeout: tc.timeout}))
			want := tc.timeout
			if want == 0 {
				want = 30 * time.Second
			}
			left := time.Duration(got.DeadlineInMS) * time.Millisecond
			if left > want || left < want-2*time.Second {
				t.Errorf("deadline left at entry = %v, want just under %v", left, want)
			}
			if got.TimeoutSeconds != tc.wantSeconds {
				t.Errorf("Function.Timeout = %d, want %d", got.TimeoutSeconds, tc.wantSeconds)
			}
		})
	}
}

func TestConcurrentInvokes(t *testing.T) {
	rt, _, _ := startEcho(t, fctest.Options{})
	const n = 200
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := range n {
		wg.Go(func() {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			event := fmt.Sprintf("event-%d", i)
			res, err := rt.Invoke(ctx, fctest.Invocation{Event: []byte(event)})
			switch {
			case err != nil:
				errs <- fmt.Errorf("Invoke(%q): %w", event, err)
			case res.Error != nil:
				errs <- fmt.Errorf("Invoke(%q) function error %+v", event, res.Error)
			case !strings.Contains(string(res.Payload), `"event":"`+event+`"`):
				errs <- fmt.Errorf("Invoke(%q) payload = %s", event, res.Payload)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
