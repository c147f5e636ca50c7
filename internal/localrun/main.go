// Command localrun builds the function and runs it on loopback against the
// FC runtime emulator and the appstream-center stand-in:
//
//	go run ./internal/localrun [-env KEY=VALUE]... [-raw] [EVENT.json]...
//
// It prints the function's environment, then for each event file a summary
// table, the function's logs, the calls the stand-in received and the
// function's answer. No cloud account or network is involved. -h tells
// the rest.
package main

import (
	"context"
	"fmt"
	"io"
	"maps"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/image-distributor/image-distributor/internal/sandbox"
)

// Exit statuses, as -h documents them.
const (
	exitOK          = 0
	exitFailed      = 1
	exitUsage       = 2
	exitInterrupted = 130 // 128 + SIGINT, as a shell reports Ctrl-C
)

// What a first run spends its time on, shown when a step goes quiet; the
// README's "Two commands" gives the same figures and how they were taken.
const (
	firstRunDownload = "a first run downloads about 45 MB of modules, nearly all of it the Alibaba Cloud SDK"
	firstRunBuild    = "a first build compiles the function and the Alibaba Cloud SDK: about 25 s on 2 quiet cores, minutes on a busy machine"
)

// functionTimeout is the deadline the emulator gives each invocation.
const functionTimeout = 60 * time.Second

func main() {
	// A reader that goes away (| head) must not kill the run before it has
	// removed its build folder: ignored, SIGPIPE turns into failed writes,
	// and the run ends the usual way.
	signal.Ignore(syscall.SIGPIPE)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	// After the first signal the run cleans up; a second one ends it at once.
	context.AfterFunc(ctx, stop)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run is the whole command. When ctx ends (Ctrl-C) it stops, and it
// removes everything it made before it returns.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	o, err := parseArgs(args)
	if err != nil {
		fmt.Fprintf(stderr, "localrun: %v (see -h)\n", err)
		return exitUsage
	}
	if o.help {
		usage(stdout)
		return exitOK
	}
	if o.live {
		return runLive(ctx, o, stdout, stderr)
	}
	events, err := readEvents(o.events)
	if err != nil {
		fmt.Fprintln(stderr, "localrun:", err)
		return exitUsage
	}
	shell, notes := fromShell(os.Environ(), o.env)
	env := maps.Clone(shell)
	maps.Copy(env, o.env)
	for _, n := range append(notes, regionNotes(functionEnv(env))...) {
		fmt.Fprintln(stderr, "localrun:", n)
	}
	s := &session{opts: o, env: env, shell: shell, out: stdout, prog: &progress{w: stderr}, seen: map[string]bool{}}
	problems, err := s.run(ctx, events)
	if ctx.Err() != nil {
		fmt.Fprintln(stderr, "localrun: interrupted; the build folder and the stand-ins are removed")
		return exitInterrupted
	}
	for _, p := range problems {
		fmt.Fprintln(stderr, "localrun:", p)
	}
	if err != nil {
		fmt.Fprintln(stderr, "localrun:", err)
	}
	if err != nil || len(problems) > 0 {
		return exitFailed
	}
	return exitOK
}

// session is one run: the built function in its sandbox, and how much of
// its output and of the stand-in's calls has been reported so far.
type session struct {
	opts       options
	env, shell map[string]string // the changes to the presets, and which of them came from the shell
	out        io.Writer
	prog       *progress
	sb         *sandbox.Sandbox
	seen       map[string]bool // images in the stand-in's catalogue
	linesShown int
	callsShown int
}

// run builds the function, starts it and invokes it with each event in
// turn. It returns one line per invocation that failed, and an error when
// the run itself could not go on.
func (s *session) run(ctx context.Context, events []event) ([]string, error) {
	stop, err := s.start(ctx, sandbox.Options{BaseEnv: presetEnv(), Env: s.env, Timeout: functionTimeout},
		"the FC runtime emulator and the appstream-center stand-in")
	if err != nil {
		return nil, err
	}
	defer stop()
	s.sb.API.SetDistributeDuration(copyTime)
	printEnv(s.out, s.sb.Proc.Env(), s.env, s.shell)

	var problems []string
	for i, ev := range events {
		problem, err := s.invoke(ctx, fmt.Sprintf("local-%d", i+1), ev)
		if err != nil {
			return problems, fmt.Errorf("%s: %w", ev.name, err)
		}
		if problem != "" {
			problems = append(problems, ev.name+": "+problem)
		}
	}
	return problems, nil
}

// start resolves the modules, builds the function and starts it with
// opts (its Binary filled in), each a step of its own, into s.sb (what
// says what is started); stop
// ends it and removes the build.
func (s *session) start(ctx context.Context, opts sandbox.Options, what string) (stop func(), err error) {
	end := s.prog.step("resolving modules (the first run downloads them)", firstRunDownload)
	err = sandbox.Resolve(ctx, s.prog)
	end(err)
	if err != nil {
		return nil, err
	}
	dir, err := os.MkdirTemp("", "image-distributor-")
	if err != nil {
		return nil, err
	}
	end = s.prog.step("building ./function", firstRunBuild)
	opts.Binary, err = sandbox.BuildTo(ctx, dir, s.prog)
	end(err)
	if err == nil {
		end = s.prog.step("starting " + what)
		s.sb, err = sandbox.Start(opts)
		end(err)
	}
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	return func() { s.sb.Close(); os.RemoveAll(dir) }, nil
}
