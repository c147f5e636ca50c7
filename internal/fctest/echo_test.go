package fctest_test

import (
	"context"
	"testing"
	"time"

	"github.com/image-distributor/image-distributor/internal/fctest"
)

func TestInvokeOutcomes(t *testing.T) {
	rt, _, logs := startEcho(t, fctest.Options{})
	// Rows run in order on one process: "after panic" proves it survived.
	tests := []struct {
		name  string
		inv   fctest.Invocation
		check func(t *testing.T, res fctest.Result)
	}{
		{"response echoes event", fctest.Invocation{Event: []byte(`{"hello":"world"}`)}, func(t *testing.T, res fctest.Result) {
			if got := mustReply(t, res).Event; got != `{"hello":"world"}` {
				t.Errorf("echoed event = %q, want %q", got, `{"hello":"world"}`)
			}
		}},
		{"returned error", fctest.Invocation{Event: []byte("error")}, func(t *testing.T, res fctest.Result) {
			if res.Error == nil || res.Error.ErrorType != "echoError" || res.Error.ErrorMessage != "echo: asked to fail" {
				t.Errorf("Error = %+v, want echoError %q", res.Error, "echo: asked to fail")
			}
		}},
		{"panic has stack trace", fctest.Invocation{Event: []byte("panic")}, func(t *testing.T, res fctest.Result) {
			if res.Error == nil || res.Error.ErrorType != "string" || len(res.Error.StackTrace) == 0 {
				t.Errorf("Error = %+v, want string panic with stack trace", res.Error)
			}
		}},
		{"after panic", fctest.Invocation{Event: []byte("still here")}, func(t *testing.T, res fctest.Result) {
			if got := mustReply(t, res).Event; got != "still here" {
				t.Errorf("echoed event = %q, want %q", got, "still here")
			}
		}},
		{"initializer", fctest.Invocation{FunctionType: 1}, func(t *testing.T, res fctest.Result) {
			if res.Error != nil || len(res.Payload) != 0 {
				t.Errorf("Result = %+v, want empty success", res)
			}
			// stdout is copied asynchronously, so it may trail the /response.
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			if err := logs.WaitFor(ctx, "echo: initialized"); err != nil {
				t.Error(err)
			}
		}},
		{"unregistered preStop", fctest.Invocation{FunctionType: 2}, func(t *testing.T, res fctest.Result) {
			if res.Error == nil || res.Error.ErrorMessage != "no prestop handler registered" {
				t.Errorf("Error = %+v, want %q", res.Error, "no prestop handler registered")
			}
		}},
		{"deadline exceeded", fctest.Invocation{Event: []byte("sleep"), Timeout: 300 * time.Millisecond}, func(t *testing.T, res fctest.Result) {
			if res.Error == nil || res.Error.ErrorType != "deadlineExceededError" {
				t.Errorf("Error = %+v, want deadlineExceededError", res.Error)
			}
			if res.Duration < 250*time.Millisecond || res.Duration > 5*time.Second {
				t.Errorf("Duration = %v, want about 300ms", res.Duration)
			}
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.check(t, mustInvoke(t, rt, tc.inv))
		})
	}
}
