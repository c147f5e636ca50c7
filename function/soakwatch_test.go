package main_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/image-distributor/image-distributor/internal/appstream/appstreamtest"
)

// taskIDPattern finds anything shaped like a task ID, wherever it is.
var taskIDPattern = regexp.MustCompile(`tid-[a-z0-9]+`)

// sdkLines are the lines the FC SDK writes that are not the function's
// JSON; any other plain line (a Go panic, a runtime error) is a problem.
// The SDK ends every failed invocation with "Error: Unhandled function
// error", panic or not; a panic shows as a stackTrace in its error block.
var sdkLines = []string{"FC Invoke Start RequestId: ", "FC Invoke End RequestId: "}

// sdkError opens the block the FC SDK logs for an invocation that returns
// an error: its JSON error body, indented, up to a line "}".
var sdkError = regexp.MustCompile(`^\d{4}/\d\d/\d\d \d\d:\d\d:\d\d\.\d+ +\S+ \[ERROR\] \{$`)

// sdkErrorType is the error type line of that block.
var sdkErrorType = regexp.MustCompile(`^ *"errorType": "(.*)",?$`)

// expectedErrors are the error types the soak provokes on purpose.
var expectedErrors = map[string]bool{"RetryableFailure": true, "SweepError": true}

// outcomeLine is the part of the function's log line per image the soak
// checks.
type outcomeLine struct {
	Level        string   `json:"level"`
	Message      string   `json:"message"`
	Time         string   `json:"time"`
	DurationMS   int64    `json:"duration_ms"`
	RequestID    string   `json:"request_id"`
	ImageID      string   `json:"image_id"`
	Status       string   `json:"status"`
	TaskID       string   `json:"task_id"`
	Destinations []string `json:"destination_regions"`
	Regions      []struct {
		Region    string `json:"region"`
		Status    string `json:"status"`
		TaskID    string `json:"task_id"`
		ErrorCode string `json:"error_code"`
		Retryable bool   `json:"retryable"`
	} `json:"regions"`
	at time.Time // when the test received the line
}

// watcher reads the function's output as it is written. It checks each
// image's claims against the stand-in as soon as the line is in, so a
// region reported done is held when it is reported (the stand-in's copies
// never go away, so a check a moment later is as strict but for a copy
// started in between), and keeps what the final checks need: each
// invocation's outcomes and every task ID mentioned. Write only queues:
// a reader that waited on the stand-in would fill the pipe and block the
// function's own writes, which FC's log collection never does.
type watcher struct {
	in chan chunk

	mu        sync.Mutex
	api       *appstreamtest.Server
	partial   []byte
	outcomes  map[string]map[pair]regionState // by request_id
	summaries map[string][]outcomeLine        // "invocation finished" lines by request_id
	ends      map[string]time.Time            // when the SDK's end line of each request came
	claims    []claim                         // regions logged with a task ID
	taskIDs   map[string]bool
	problems  []string
	inError   bool           // inside an sdkError block
	statuses  map[string]int // image lines by status
	lines     int
	maxIssues int
}

// chunk is one Write, or with flushed set, a marker flush waits for.
type chunk struct {
	b       []byte
	at      time.Time
	flushed chan struct{}
}

func newWatcher() *watcher {
	w := &watcher{in: make(chan chunk, 1<<14), outcomes: map[string]map[pair]regionState{},
		summaries: map[string][]outcomeLine{}, ends: map[string]time.Time{}, taskIDs: map[string]bool{},
		statuses: map[string]int{}, maxIssues: 50}
	go w.read()
	return w
}

// setAPI names the stand-in claims are checked against, once it exists;
// the function logs no image before its first invocation.
func (w *watcher) setAPI(api *appstreamtest.Server) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.api = api
}

// Write queues the process's output.
func (w *watcher) Write(b []byte) (int, error) {
	w.in <- chunk{b: bytes.Clone(b), at: time.Now()}
	return len(b), nil
}

// flush waits until everything written so far has been read.
func (w *watcher) flush() {
	done := make(chan struct{})
	w.in <- chunk{flushed: done}
	<-done
}

// read checks the output a line at a time; lines may arrive in pieces.
func (w *watcher) read() {
	for c := range w.in {
		if c.flushed != nil {
			close(c.flushed)
			continue
		}
		w.mu.Lock()
		w.partial = append(w.partial, c.b...)
		for {
			i := bytes.IndexByte(w.partial, '\n')
			if i < 0 {
				break
			}
			w.line(string(w.partial[:i]), c.at)
			w.partial = w.partial[i+1:]
		}
		w.mu.Unlock()
	}
}

func (w *watcher) problem(format string, args ...any) {
	if len(w.problems) < w.maxIssues {
		w.problems = append(w.problems, fmt.Sprintf(format, args...))
	}
}

// line checks one line of output, received at at; w.mu is held.
func (w *watcher) line(s string, at time.Time) {
	w.lines++
	for _, id := range taskIDPattern.FindAllString(s, -1) {
		w.taskIDs[id] = true
	}
	if w.sdkLine(s) {
		return
	}
	var l outcomeLine
	if json.Unmarshal([]byte(s), &l) != nil {
		for _, prefix := range sdkLines {
			if strings.HasPrefix(s, prefix) {
				if req, ok := strings.CutPrefix(s, sdkLines[1]); ok {
					req, _, _ = strings.Cut(req, ",")
					w.ends[req] = at
				}
				return
			}
		}
		w.problem("output line that is not the function's JSON: %.300s", s)
		return
	}
	switch {
	case l.Message == "recovered from a panic":
		w.problem("the function recovered from a panic (none was injected): %.2000s", s)
		return
	case l.Level == "error" && l.Status == "copy-failing":
		// The stand-in fails copies on purpose, and the final ticks run a
		// day apart: past a day, a region failing again is a person's.
		w.statuses["copy-failing (error line)"]++
	case l.Level == "error":
		w.problem("error-level line (nothing here needs a person): %.1000s", s)
	case l.Message == "invocation finished":
		l.at = at
		w.summaries[l.RequestID] = append(w.summaries[l.RequestID], l)
	}
	if l.ImageID == "" || !strings.HasPrefix(l.Message, "image ") {
		return
	}
	w.statuses[l.Status]++
	states := w.outcomes[l.RequestID]
	if states == nil {
		states = map[pair]regionState{}
		w.outcomes[l.RequestID] = states
	}
	for _, r := range l.Regions {
		states[pair{l.ImageID, r.Region}] = regionState{r.Status, r.Retryable}
		if r.TaskID != "" {
			w.claims = append(w.claims, claim{pair{l.ImageID, r.Region}, r.TaskID, "log of " + l.RequestID})
		}
		if (r.Status == "started" || r.Status == "already-distributed") && !copied(w.api, l.ImageID, r.Region) {
			w.problem("%s reported %s in %s, which the stand-in does not hold (request %s)", l.ImageID, r.Status, r.Region, l.RequestID)
		}
	}
	if l.Status == "complete" || l.Status == "in-progress" {
		for _, r := range l.Destinations {
			if !w.api.Holds(l.ImageID, r) {
				w.problem("sweep reported %s %s, but the stand-in does not hold it in %s", l.ImageID, l.Status, r)
			}
		}
	}
}

// sdkLine checks a line of the FC SDK's error blocks, and reports
// whether it was one.
func (w *watcher) sdkLine(s string) bool {
	switch {
	case sdkError.MatchString(s):
		w.inError = true
	case !w.inError:
		return false
	case strings.HasPrefix(s, "{"):
		// The function's own line: a block cut short by a kill ended.
		w.inError = false
		return false
	case s == "}":
		w.inError = false
	case strings.Contains(s, `"stackTrace"`):
		w.problem("the SDK reports a panic: %.300s", s)
	default:
		if m := sdkErrorType.FindStringSubmatch(s); m != nil && !expectedErrors[m[1]] {
			w.problem("an invocation failed with %s", m[1])
		}
	}
	return true
}

// regionState is what one invocation logged for one region.
type regionState struct {
	status    string
	retryable bool
}

// regionOutcome is what invocation reqID logged for one region of an
// image, if it logged the image at all.
func (w *watcher) regionOutcome(reqID string, p pair) (status string, retryable, ok bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	st, ok := w.outcomes[reqID][p]
	return st.status, st.retryable, ok
}

// claims lists every region a log line reported with a task ID.
func (w *watcher) claimed() []claim {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]claim(nil), w.claims...)
}

// summary returns the summary lines invocation reqID wrote, and when its
// SDK end line came (zero if it has not).
func (w *watcher) summary(reqID string) ([]outcomeLine, time.Time) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.summaries[reqID], w.ends[reqID]
}

// report returns the problems seen and what was counted.
func (w *watcher) report() (problems []string, taskIDs map[string]bool, statuses map[string]int, lines int) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]string(nil), w.problems...), w.taskIDs, w.statuses, w.lines
}

// copied reports whether the stand-in holds imageID in region or has
// recorded a copy there that failed since: the stand-in fails a share of
// the copies it starts (SetCopyFailures), after the start was answered.
func copied(api *appstreamtest.Server, imageID, region string) bool {
	return api.Holds(imageID, region) || slices.Contains(api.Distributed(imageID), region)
}
