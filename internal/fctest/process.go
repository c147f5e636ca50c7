package fctest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sync"
	"time"
)

// Build compiles the main package pkg (a path relative to the module root,
// such as "./function") into out, the way it is built for deployment. The
// go command's output comes back in the error.
func Build(ctx context.Context, pkg, out string) error {
	var msg bytes.Buffer
	if err := BuildTo(ctx, pkg, out, &msg); err != nil {
		return fmt.Errorf("%w\n%s", err, msg.Bytes())
	}
	return nil
}

// BuildTo is Build with the go command's own output (its "go: downloading"
// lines, compile errors) written to w as it comes, for a person watching.
func BuildTo(ctx context.Context, pkg, out string, w io.Writer) error {
	// out is resolved here because the go command runs in the module root.
	out, err := filepath.Abs(out)
	if err != nil {
		return fmt.Errorf("fctest: build %s: %w", pkg, err)
	}
	if err := goCommand(ctx, w, io.Discard, "build", "-trimpath", "-ldflags", "-s -w", "-o", out, pkg); err != nil {
		return fmt.Errorf("fctest: go build %s: %w", pkg, err)
	}
	return nil
}

// Resolve downloads the modules pkg needs that are not in the module cache
// yet. The go command reports each download on w; with a warm cache it
// writes nothing and takes a fraction of a second.
func Resolve(ctx context.Context, pkg string, w io.Writer) error {
	if err := goCommand(ctx, w, io.Discard, "list", "-deps", pkg); err != nil {
		return fmt.Errorf("fctest: go list -deps %s: %w", pkg, err)
	}
	return nil
}

// goCommand runs the go command in the module root with cgo off, the way
// the function is built for deployment.
func goCommand(ctx context.Context, stderr, stdout io.Writer, args ...string) error {
	root, err := ModuleRoot()
	if err != nil {
		return err
	}
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = root
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	cmd.Stdout, cmd.Stderr = stdout, stderr
	// Cancelled (Ctrl-C), the go command gets an interrupt rather than a
	// kill, so it can remove its own work directory; it is killed only if
	// it has not stopped a few seconds later.
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 5 * time.Second
	return cmd.Run()
}

// ModuleRoot walks up from the working directory to the nearest go.mod, so
// Build works from any package's test.
func ModuleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", fmt.Errorf("fctest: find module root: %w", err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("fctest: find module root: no go.mod above the working directory")
		}
		dir = parent
	}
}

// Process is a running function binary connected to a Runtime.
type Process struct {
	cmd      *exec.Cmd
	env      []string
	exited   chan struct{}
	exitErr  error // written once before exited is closed
	stopOnce sync.Once
	stopErr  error
}

// Start runs binary against r, as one instance with an endpoint of its
// own: once the process exits, none of its polls takes an invocation and
// each invocation it took unanswered fails with ErrInstanceExited, so
// several processes may come and go on one Runtime. The environment is
// minimal (FC_RUNTIME_API, PATH, HOME, then env) so the function never
// sees the caller's ALIBABA_CLOUD_* credentials or other stray
// configuration. The process's stdout and stderr both go to logs, which
// may be nil.
func Start(binary string, r *Runtime, env []string, logs io.Writer) (*Process, error) {
	inst, err := r.attach()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(binary)
	cmd.Env = append([]string{
		"FC_RUNTIME_API=" + inst.ln.Addr().String(),
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + os.Getenv("HOME"),
	}, env...)
	if logs != nil {
		cmd.Stdout = logs
		cmd.Stderr = logs
	}
	// A grandchild holding the output pipe must not make Wait hang forever.
	cmd.WaitDelay = 5 * time.Second
	if err := cmd.Start(); err != nil {
		r.detach(inst, err)
		return nil, fmt.Errorf("fctest: start %s: %w", binary, err)
	}
	p := &Process{cmd: cmd, env: cmd.Env, exited: make(chan struct{})}
	go func() {
		p.exitErr = cmd.Wait()
		// Before exited closes, so that once Stop returns no invocation
		// can reach the dead process.
		r.detach(inst, p.exitErr)
		close(p.exited)
	}()
	return p, nil
}

// Stop kills the process and waits for it to exit. The FC SDK never exits
// on its own, so this is the only way to end it. Stop is idempotent and
// returns nil if the process had already exited.
func (p *Process) Stop() error {
	p.stopOnce.Do(func() {
		err := p.cmd.Process.Kill()
		<-p.exited
		if err != nil && !errors.Is(err, os.ErrProcessDone) {
			p.stopErr = fmt.Errorf("fctest: stop process: %w", err)
		}
	})
	return p.stopErr
}

// Exited is closed when the process exits, for example when the function
// fails fast on bad configuration.
func (p *Process) Exited() <-chan struct{} { return p.exited }

// ExitErr is the process's exit error (as from exec.Cmd.Wait) once it has
// exited, and nil while it is still running.
func (p *Process) ExitErr() error {
	select {
	case <-p.exited:
		return p.exitErr
	default:
		return nil
	}
}

// Env is the whole environment the process was started with, in order.
func (p *Process) Env() []string { return slices.Clone(p.env) }

// PID is the process's ID, for reading its /proc entries (such as peak RSS).
func (p *Process) PID() int { return p.cmd.Process.Pid }
