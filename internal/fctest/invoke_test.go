package fctest_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/image-distributor/image-distributor/internal/fctest"
)

func TestInvokeRejects(t *testing.T) {
	rt := newRuntime(t, fctest.Options{})
	tests := []struct {
		name string
		inv  fctest.Invocation
	}{
		{"request id not URL-safe", fctest.Invocation{RequestID: "a/b"}},
		{"event too large", fctest.Invocation{Event: make([]byte, 6<<20+1)}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := rt.Invoke(context.Background(), tc.inv); err == nil {
				t.Errorf("Invoke(%s) = nil error, want error", tc.name)
			}
		})
	}
}

func TestInvokeContextEnds(t *testing.T) {
	rt := newRuntime(t, fctest.Options{})
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	// Nobody polls /next, so the invocation is never dispatched.
	if _, err := rt.Invoke(ctx, fctest.Invocation{}); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Invoke = %v, want %v", err, context.DeadlineExceeded)
	}
}

func TestCloseUnblocks(t *testing.T) {
	rt, err := fctest.NewRuntime(fctest.Options{})
	if err != nil {
		t.Fatalf("NewRuntime: %v", err)
	}
	pending := invokeAsync(rt, fctest.Invocation{RequestID: "never-answered"})
	mustNext(t, rt) // dispatch it, then never answer

	polled := make(chan error, 1)
	go func() {
		resp, err := http.Get("http://" + rt.Addr() + base + "next")
		if err == nil {
			resp.Body.Close()
			err = errors.New("got a response, want a hang-up")
		}
		polled <- err
	}()
	time.Sleep(50 * time.Millisecond) // let the poll reach the server
	rt.Close()
	rt.Close() // idempotent

	for name, ch := range map[string]<-chan error{"pending Invoke": pending, "pending /next": polled} {
		select {
		case err := <-ch:
			if err == nil || err.Error() == "got a response, want a hang-up" {
				t.Errorf("%s after Close = %v, want an error", name, err)
			}
		case <-time.After(5 * time.Second):
			t.Errorf("%s still blocked 5s after Close", name)
		}
	}
	if _, err := rt.Invoke(context.Background(), fctest.Invocation{}); err == nil {
		t.Error("Invoke after Close = nil error, want error")
	}
}
