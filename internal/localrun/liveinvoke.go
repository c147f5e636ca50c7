package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/image-distributor/image-distributor/internal/sandbox"
	"github.com/image-distributor/image-distributor/internal/trigger"
)

// maxFollowUps bounds the status queries after an image event: a batch
// of a hundred images is not read one by one.
const maxFollowUps = 5

// liveEvents reads the event files; with none, it is one timer tick
// without a payload, which is what the deployed timer sends.
func liveEvents(paths []string) ([]event, error) {
	if len(paths) > 0 {
		return readEvents(paths)
	}
	raw := fmt.Sprintf(`{"triggerTime":%q,"triggerName":"localrun-live","payload":""}`, time.Now().UTC().Format(time.RFC3339))
	return []event{{"a timer tick (no payload)", []byte(raw)}}, nil
}

// liveEvent invokes the function with ev and shows its answer; then, read-
// only, what the function sees: after a timer tick, every managed image
// region by region with what the next tick would do; after an image event,
// where each image is now. It returns the copies started and a one-line
// problem when an answer, the event's or a follow-up query's, is an error.
func (s *session) liveEvent(ctx context.Context, id string, ev event) (started []string, problem string, err error) {
	a, lines, err := s.liveCall(ctx, id, ev.name, ev.raw)
	if err != nil {
		return nil, "", err
	}
	started = startedCopies(a, lines)
	req, derr := trigger.Decode(ev.raw)
	if derr != nil {
		return started, a.problem, nil
	}
	var follow []string
	switch req.Kind {
	case trigger.KindTimer:
		raw, err := sandbox.ReadEvent("http-status-all.json")
		if err != nil {
			return started, a.problem, err
		}
		all, _, err := s.liveCall(ctx, id+"-all", "what the first real tick would do, image by image (a status query of every managed image)", raw)
		return started, problems(a.problem, all.problem), err
	case trigger.KindHTTP:
		if r, err := trigger.ParseHTTP(req.HTTP); err != nil || r.Query {
			return started, a.problem, nil
		}
	}
	for _, img := range objects(a.result.get("results")) {
		if id := text(img.get("imageId")); id != "" && len(follow) < maxFollowUps && !slices.Contains(follow, id) {
			follow = append(follow, id)
		}
	}
	problem = a.problem
	for i, image := range follow {
		raw, err := statusQuery(image)
		if err != nil {
			return started, problem, err
		}
		q, _, err := s.liveCall(ctx, fmt.Sprintf("%s-q%d", id, i+1), "where "+image+" is now (a status query)", raw)
		problem = problems(problem, q.problem)
		if err != nil {
			return started, problem, err
		}
	}
	return started, problem, nil
}

// problems joins the one-line problems that are not empty.
func problems(ps ...string) string {
	return strings.Join(slices.DeleteFunc(ps, func(p string) bool { return p == "" }), "; ")
}

// liveCall invokes the function once and prints the answer's summary, its
// logs and the answer. There are no stand-in calls to show: the function
// called the real API.
func (s *session) liveCall(ctx context.Context, id, title string, raw []byte) (answer, []string, error) {
	end := s.prog.step("invoking the function with " + title)
	res, err := s.answer(ctx, id, raw)
	end(err)
	if err != nil && ctx.Err() != nil {
		return answer{}, nil, err
	}
	lines := s.newLines(id, err == nil)
	if err != nil {
		fmt.Fprintf(s.out, "\n== %s: no answer\n", title)
		s.printLogs(lines)
		if errors.Is(err, errExited) {
			err = fmt.Errorf("the function exited before answering: %s", orDefault(exitReason(lines), "it printed nothing"))
		}
		return answer{}, nil, err
	}
	a := readAnswer(res)
	fmt.Fprintf(s.out, "\n== %s: %s in %v\n", title, a.status, res.Duration.Round(time.Millisecond))
	a.summary(s.out, lines)
	s.printLogs(lines)
	s.printAnswer(a, res)
	return a, lines, nil
}

// startedCopies lists the copies an answer says were started.
func startedCopies(a answer, lines []string) []string {
	var out []string
	image := ""
	for _, r := range a.rows(lines) {
		image = orDefault(r.image, image)
		if r.status == "started" {
			out = append(out, fmt.Sprintf("%s to %s (task %s)", image, r.regions, orDefault(r.task, "not given")))
		}
	}
	return out
}

// statusQuery is the sample status query (events/http-status.json) asked
// about image.
func statusQuery(image string) ([]byte, error) {
	raw, err := sandbox.ReadEvent("http-status.json")
	if err != nil {
		return nil, err
	}
	var ev map[string]any
	if err := json.Unmarshal(raw, &ev); err != nil {
		return nil, fmt.Errorf("events/http-status.json: %w", err)
	}
	ev["queryParameters"] = map[string]string{"imageId": image}
	return json.Marshal(ev)
}
