package fctest_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/image-distributor/image-distributor/internal/fctest"
)

// A process replaced on the same runtime must never lose an invocation to
// the /next poll its predecessor left open (the SDK polls again as soon as
// it answers): FC never hands an invocation to a dead instance. Before
// instances had endpoints of their own, about one restart in ten lost the
// next invocation this way and it hung until its caller gave up.
func TestReplacedProcessNeverTakesAnInvocation(t *testing.T) {
	rt, proc, _ := startEcho(t, fctest.Options{})
	for i := range 20 {
		mustInvoke(t, rt, fctest.Invocation{Event: []byte("warm")})
		if err := proc.Stop(); err != nil {
			t.Fatal(err)
		}
		next, err := fctest.Start(echoBinary, rt, nil, nil)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { next.Stop() })
		proc = next
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		_, err = rt.Invoke(ctx, fctest.Invocation{Event: []byte("after restart")})
		cancel()
		if err != nil {
			t.Fatalf("restart %d: Invoke = %v, want the new process's answer", i, err)
		}
	}
}

// An instance that dies mid-invocation fails that invocation at once with
// ErrInstanceExited, as FC answers its caller with an error, instead of
// leaving it to wait out its timeout for an answer that cannot come.
func TestInstanceExitFailsItsInvocation(t *testing.T) {
	rt, proc, logs := startEcho(t, fctest.Options{})
	done := make(chan error, 1)
	go func() {
		// The invocation's own timeout is far beyond the test's wait below.
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		_, err := rt.Invoke(ctx, fctest.Invocation{Event: []byte("sleep"), RequestID: "dies", Timeout: time.Minute})
		done <- err
	}()
	wait, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := logs.WaitFor(wait, "FC Invoke Start RequestId: dies"); err != nil {
		t.Fatal(err)
	}
	if err := proc.Stop(); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-done:
		if !errors.Is(err, fctest.ErrInstanceExited) {
			t.Errorf("Invoke = %v, want %v", err, fctest.ErrInstanceExited)
		}
	case <-wait.Done():
		t.Fatal("Invoke still waiting 10s after its instance exited")
	}
	// And the runtime serves the next process as before.
	next, err := fctest.Start(echoBinary, rt, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { next.Stop() })
	mustReply(t, mustInvoke(t, rt, fctest.Invocation{Event: []byte("x")}))
}
