package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/image-distributor/image-distributor/internal/appstream/appstreamtest"
	"github.com/image-distributor/image-distributor/internal/fctest"
)

var (
	errExited   = errors.New("the function exited")
	errNoAnswer = fmt.Errorf("no answer %v after the function's %v timeout", answerGrace, functionTimeout)
)

// answerGrace is how long past its timeout the function may take to answer
// before localrun gives up on it.
const answerGrace = 10 * time.Second

// invoke sends one event and reports it. It returns a one-line problem when
// the answer is an error or an HTTP status of 400 or more, and an error
// when there is no answer at all: the function exited, or never answered.
func (s *session) invoke(ctx context.Context, id string, ev event) (problem string, err error) {
	catalogue(s.sb.API, s.seen, ev.raw, destinations(s.sb.Proc.Env()))
	end := s.prog.step("invoking the function with " + ev.name)
	res, err := s.answer(ctx, id, ev.raw)
	end(err)
	if err != nil && ctx.Err() != nil {
		return "", err
	}
	lines := s.newLines(id, err == nil)
	calls := s.sb.API.Calls()[s.callsShown:]
	s.callsShown += len(calls)
	if err != nil {
		fmt.Fprintf(s.out, "\n== %s: no answer\n", ev.name)
		s.printLogs(lines)
		if errors.Is(err, errExited) {
			status := "exit status 0"
			if e := s.sb.Proc.ExitErr(); e != nil {
				status = e.Error()
			}
			err = fmt.Errorf("the function exited (%s) before answering: %s", status,
				orDefault(exitReason(lines), "it printed nothing"))
		}
		return "", err
	}
	// What happened comes last, where the eye lands when the run ends:
	// logs and calls first, then the answer, then its summary.
	a := readAnswer(res)
	fmt.Fprintf(s.out, "\n== %s\n", ev.name)
	s.printLogs(lines)
	s.printCalls(calls)
	s.printAnswer(a, res)
	fmt.Fprintf(s.out, "-- %s: %s in %v\n", ev.name, a.status, res.Duration.Round(100*time.Microsecond))
	a.summary(s.out, lines)
	return a.problem, nil
}

func (s *session) printCalls(calls []appstreamtest.Call) {
	fmt.Fprintln(s.out, "-- calls received by the appstream-center stand-in")
	if len(calls) == 0 {
		fmt.Fprintln(s.out, "(none)")
	}
	for _, c := range calls {
		if c.Action != "StartTaskForDistributeImage" {
			filter := ""
			if id := c.Params.Get("ImageId"); id != "" {
				filter = " imageId=" + id
			}
			fmt.Fprintf(s.out, "%s page=%s%s -> %d %s\n", c.Action, c.Params.Get("PageNumber"), filter, c.Status, c.Code)
			continue
		}
		fmt.Fprintf(s.out, "%s image=%s version=%s product=%s source=%s regions=%s -> %d %s %s\n",
			c.Action, c.ImageID, c.VersionID, c.ProductType, c.SourceRegion,
			strings.Join(c.DestinationRegions, ","), c.Status, c.Code, c.TaskID)
	}
}

// answer waits for the function's answer, and stops waiting as soon as the
// function exits: a function that fails at cold start (a bad setting) never
// answers, and its own message says why.
func (s *session) answer(ctx context.Context, id string, raw []byte) (fctest.Result, error) {
	ctx, cancel := context.WithTimeoutCause(ctx, functionTimeout+answerGrace, errNoAnswer)
	defer cancel()
	ctx, exited := context.WithCancelCause(ctx)
	defer exited(nil)
	go func() {
		select {
		case <-s.sb.Proc.Exited():
			exited(errExited)
		case <-ctx.Done():
		}
	}()
	res, err := s.sb.Runtime.Invoke(ctx, fctest.Invocation{Event: raw, RequestID: id})
	if err != nil && context.Cause(ctx) != nil {
		return res, context.Cause(ctx)
	}
	return res, err
}

// newLines returns the complete lines the function wrote since the last
// call. After an answer it first waits, briefly, for the runtime's end
// line: the SDK prints it once the handler has returned, so every log line
// of the invocation is in by then.
func (s *session) newLines(id string, answered bool) []string {
	if answered {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		s.sb.Logs.WaitFor(ctx, "FC Invoke End RequestId: "+id) // on timeout, show what there is
		cancel()
	}
	out := s.sb.Logs.String()
	out = out[:strings.LastIndex(out, "\n")+1]
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if out == "" || len(lines) <= s.linesShown {
		return nil
	}
	lines = lines[s.linesShown:]
	s.linesShown += len(lines)
	return lines
}

func (s *session) printLogs(lines []string) {
	if s.opts.raw {
		fmt.Fprintln(s.out, "-- the function's output, as written")
	} else {
		fmt.Fprintln(s.out, "-- the function's logs (-raw shows the JSON lines)")
	}
	for _, l := range lines {
		switch {
		case s.opts.raw:
			fmt.Fprintln(s.out, l)
		case l != "" && !runtimeLine(l):
			fmt.Fprintln(s.out, shorten(condense(l)))
		}
	}
}

// printAnswer shows the function's answer: as the function wrote it with
// -raw, else as readAnswer shortened it.
func (s *session) printAnswer(a answer, res fctest.Result) {
	fmt.Fprintln(s.out, "-- the function's answer")
	if s.opts.raw && res.Error == nil {
		fmt.Fprintln(s.out, string(res.Payload))
	} else {
		fmt.Fprintln(s.out, string(a.shown))
	}
}
