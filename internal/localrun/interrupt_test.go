package main

import (
	"context"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
)

// asMain makes the test binary run localrun's main when a test starts it
// as a child, so the signal test drives the real command.
const asMain = "LOCALRUN_TEST_AS_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(asMain) == "1" {
		main()
		return
	}
	os.Exit(m.Run())
}

// leftovers lists the build folders localrun left in dir.
func leftovers(t *testing.T, dir string) []string {
	t.Helper()
	found, err := filepath.Glob(filepath.Join(dir, "image-distributor-*"))
	if err != nil {
		t.Fatal(err)
	}
	return found
}

// cancelOn is a writer that cancels the run when a step it names starts:
// the cancel happens inside the step's own write, so the run is stopped at
// exactly that step.
type cancelOn struct {
	mu     sync.Mutex
	buf    strings.Builder
	step   string
	cancel context.CancelFunc
}

func (c *cancelOn) Write(b []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.buf.Write(b)
	if strings.Contains(c.buf.String(), "localrun: "+c.step) {
		c.cancel()
	}
	return len(b), nil
}

// TestInterruptRemovesBuildFolder stops the run at each step after the
// build folder exists and checks that the folder is gone and the exit
// status says "interrupted".
func TestInterruptRemovesBuildFolder(t *testing.T) {
	for _, step := range []string{"building", "starting", "invoking"} {
		t.Run(step, func(t *testing.T) {
			tmp := t.TempDir()
			t.Setenv("TMPDIR", tmp)
			ctx, cancel := context.WithTimeout(context.Background(), budget)
			defer cancel()
			stderr := &cancelOn{step: step, cancel: cancel}
			code := run(ctx, []string{sample("timer.json")}, io.Discard, stderr)
			if code != exitInterrupted {
				t.Errorf("exit %d, want %d; stderr:\n%s", code, exitInterrupted, stderr.buf.String())
			}
			if left := leftovers(t, tmp); len(left) > 0 {
				t.Errorf("left behind: %v", left)
			}
		})
	}
}

// TestSignalRemovesBuildFolder sends Ctrl-C's signal (and a plain kill's)
// to a real localrun while it builds. The go command it runs is a stand-in
// that waits (60 s, far beyond any run here), so the signal always lands
// mid-build.
func TestSignalRemovesBuildFolder(t *testing.T) {
	bin := t.TempDir()
	fakeGo := "#!/bin/sh\n[ \"$1\" = list ] && exit 0\nexec sleep 60\n"
	if err := os.WriteFile(filepath.Join(bin, "go"), []byte(fakeGo), 0o755); err != nil {
		t.Fatal(err)
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	for _, sig := range []syscall.Signal{syscall.SIGINT, syscall.SIGTERM} {
		t.Run(sig.String(), func(t *testing.T) {
			tmp := t.TempDir()
			cmd := exec.Command(self)
			cmd.Env = append(os.Environ(), asMain+"=1", "TMPDIR="+tmp, "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"))
			stderr, err := cmd.StderrPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			defer cmd.Process.Kill()
			var seen strings.Builder
			for !strings.Contains(seen.String(), "localrun: building") {
				chunk := make([]byte, 256)
				n, err := stderr.Read(chunk)
				seen.Write(chunk[:n])
				if err != nil {
					t.Fatalf("localrun ended before building: %v\n%s", err, seen.String())
				}
			}
			if left := leftovers(t, tmp); len(left) != 1 {
				t.Fatalf("build folders before the signal = %v, want one", left)
			}
			if err := cmd.Process.Signal(sig); err != nil {
				t.Fatal(err)
			}
			rest, _ := io.ReadAll(stderr)
			err = cmd.Wait()
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.ExitCode() != exitInterrupted {
				t.Errorf("exit = %v, want status %d; stderr:\n%s%s", err, exitInterrupted, seen.String(), rest)
			}
			if left := leftovers(t, tmp); len(left) > 0 {
				t.Errorf("left behind after %v: %v", sig, left)
			}
		})
	}
}

// TestBrokenPipeRemovesBuildFolder closes the reading end of localrun's
// output before it writes, as "| head" does once it has its lines. The
// run used to die of SIGPIPE and leave its build folder behind.
func TestBrokenPipeRemovesBuildFolder(t *testing.T) {
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	tmp := t.TempDir()
	cmd := exec.Command(self, sample("timer.json"))
	cmd.Env = append(os.Environ(), asMain+"=1", "TMPDIR="+tmp)
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	r.Close()
	cmd.Stdout = w
	var stderr strings.Builder
	cmd.Stderr = &stderr
	err = cmd.Run()
	w.Close()
	var exit *exec.ExitError
	if errors.As(err, &exit) && !exit.Exited() {
		t.Errorf("localrun was killed (%v); stderr:\n%s", err, stderr.String())
	}
	if left := leftovers(t, tmp); len(left) > 0 {
		t.Errorf("left behind: %v", left)
	}
}
