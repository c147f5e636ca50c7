package fctest_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/image-distributor/image-distributor/internal/fctest"
)

func TestStop(t *testing.T) {
	rt, proc, _ := startEcho(t, fctest.Options{})
	mustInvoke(t, rt, fctest.Invocation{Event: []byte("warm")})

	for i := range 2 { // Stop is idempotent
		if err := proc.Stop(); err != nil {
			t.Fatalf("Stop() #%d = %v, want nil", i+1, err)
		}
	}
	select {
	case <-proc.Exited():
	default:
		t.Fatal("Exited() still open after Stop")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	if _, err := rt.Invoke(ctx, fctest.Invocation{Event: []byte("x")}); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("Invoke after Stop = %v, want %v", err, context.DeadlineExceeded)
	}
}

func TestFailFast(t *testing.T) {
	_, proc, logs := startEcho(t, fctest.Options{}, "ECHO_FAIL_FAST=1")
	select {
	case <-proc.Exited():
	case <-time.After(10 * time.Second):
		t.Fatal("Exited() not closed 10s after a fail-fast start")
	}
	var exitErr *exec.ExitError
	if err := proc.ExitErr(); !errors.As(err, &exitErr) || exitErr.ExitCode() != 3 {
		t.Errorf("ExitErr() = %v, want exit status 3", err)
	}
	// stderr must reach the log writer too, or fail-fast reasons get lost.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := logs.WaitFor(ctx, "echo: bad config"); err != nil {
		t.Errorf("WaitFor: %v; logs:\n%s", err, logs)
	}
}

func TestBuildError(t *testing.T) {
	err := fctest.Build(context.Background(), "./internal/fctest/testdata/missing", t.TempDir()+"/x")
	if err == nil {
		t.Fatal("Build(missing package) = nil, want error")
	}
}

func TestEnv(t *testing.T) {
	rt, proc, _ := startEcho(t, fctest.Options{}, "A=1")
	env := proc.Env()
	// Each process has an endpoint of its own on the runtime, as each FC
	// instance does, so it is not the runtime's shared Addr.
	api, ok := strings.CutPrefix(env[0], "FC_RUNTIME_API=127.0.0.1:")
	if !ok || api == "" || env[0] == "FC_RUNTIME_API="+rt.Addr() {
		t.Errorf("Env()[0] = %q, want FC_RUNTIME_API naming the process's own loopback endpoint", env[0])
	}
	want := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME"), "A=1"}
	if diff := cmp.Diff(want, env[1:]); diff != "" {
		t.Errorf("Env()[1:] (-want +got):\n%s", diff)
	}
}

// TestBuildToShowsGoOutput checks that the go command's own words reach
// the writer as they come, rather than being kept back.
func TestBuildToShowsGoOutput(t *testing.T) {
	var out bytes.Buffer
	err := fctest.BuildTo(context.Background(), "./internal/fctest/testdata/missing", t.TempDir()+"/x", &out)
	if err == nil || !strings.Contains(out.String(), "testdata/missing") {
		t.Errorf("BuildTo(missing package) = %v, output %q; want an error and go's message naming the package", err, out.String())
	}
}

func TestResolve(t *testing.T) {
	var out bytes.Buffer
	if err := fctest.Resolve(context.Background(), "./internal/fctest/testdata/echo", &out); err != nil {
		t.Errorf("Resolve(echo) = %v; output:\n%s", err, out.String())
	}
	if err := fctest.Resolve(context.Background(), "./internal/fctest/testdata/missing", &out); err == nil {
		t.Error("Resolve(missing package) = nil, want an error")
	}
}
