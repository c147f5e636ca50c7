package main_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/image-distributor/image-distributor/internal/fctest"
)

// hangGrace is how long past an invocation's deadline the soak waits for
// its answer before calling it hung.
const hangGrace = 10 * time.Second

// attempt delivers j once and judges the answer.
func (s *soak) attempt(j *job, gen int, reqID string) verdict {
	s.count(func(st *soakStats) {
		st.attempts++
		if j.attempt > 0 {
			st.redeliveries++
			if gen > j.gen {
				st.fresh++
			}
		}
	})
	ctx, cancel := context.WithTimeout(context.Background(), j.d.timeout+hangGrace)
	defer cancel()
	res, err := s.sb.Runtime.Invoke(ctx, fctest.Invocation{Event: j.d.event, RequestID: reqID,
		Timeout: j.d.timeout, RetryCount: j.attempt})
	switch {
	case errors.Is(err, fctest.ErrInstanceExited):
		s.count(func(st *soakStats) { st.killed++ })
		return retry
	case err != nil:
		s.fail("delivery %d (%s) attempt %d: no answer %v after its %v deadline: %v", j.d.n, j.d.form, j.attempt, hangGrace, j.d.timeout, err)
		return retry
	}
	s.answeredBy(reqID)
	if res.Duration > j.d.timeout {
		s.late(reqID, res.Duration, j.d.timeout)
	}
	s.payloads.Write(res.Payload)
	if res.Error != nil {
		s.payloads.Write([]byte(res.Error.ErrorMessage))
		if res.Error.ErrorType == "RetryableFailure" {
			return retry
		}
		s.fail("delivery %d attempt %d failed with %s: %s", j.d.n, j.attempt, res.Error.ErrorType, res.Error.ErrorMessage)
		return refused
	}
	body := res.Payload
	if j.d.form == "http" {
		var hr struct {
			StatusCode int    `json:"statusCode"`
			Body       string `json:"body"`
		}
		if err := json.Unmarshal(res.Payload, &hr); err != nil {
			s.fail("delivery %d: HTTP answer %s: %v", j.d.n, res.Payload, err)
			return refused
		}
		switch hr.StatusCode {
		case 503:
			return retry
		case 200:
			body = []byte(hr.Body)
		default:
			s.fail("delivery %d attempt %d: HTTP %d %s", j.d.n, j.attempt, hr.StatusCode, hr.Body)
			return refused
		}
	}
	return s.judgeResult(j, body)
}

// late reports an answer that came after its deadline, with the
// function's own account of it: when its handler wrote the summary line
// and after how long, when that line and the SDK's end line reached the
// test, and when the answer did; so a handler that overran shows apart
// from a timely answer that was held up on its way.
func (s *soak) late(reqID string, took, timeout time.Duration) {
	answered := time.Now()
	time.Sleep(100 * time.Millisecond) // let the output catch up
	s.watch.flush()
	lines, end := s.watch.summary(reqID)
	var own string
	for _, l := range lines {
		if t, err := time.Parse(time.RFC3339Nano, l.Time); err == nil {
			own += fmt.Sprintf(" the handler wrote its summary after %d ms, %v before the answer came; the line took %v to arrive",
				l.DurationMS, answered.Sub(t).Round(time.Millisecond), l.at.Sub(t).Round(time.Millisecond))
		}
	}
	if !end.IsZero() {
		own += fmt.Sprintf("; the SDK's end line came %v before the answer", answered.Sub(end).Round(time.Millisecond))
	}
	s.fail("%s answered %v after it was handed out, past its %v deadline;%s", reqID, took.Round(time.Millisecond), timeout, own)
}

// judgeResult checks a successful answer: a result for every image asked
// for, each started or already there, with every region it asked for
// held by the stand-in when the answer arrives.
func (s *soak) judgeResult(j *job, body []byte) verdict {
	var r result
	if err := json.Unmarshal(body, &r); err != nil {
		s.fail("delivery %d: answer %s: %v", j.d.n, body, err)
		return refused
	}
	v, got := done, map[string]bool{}
	for _, ir := range r.Results {
		got[ir.ImageID] = true
		s.count(func(st *soakStats) { st.results[ir.Status]++ })
		if ir.Status != "started" && ir.Status != "already-distributed" {
			s.fail("delivery %d attempt %d: %s %s %+v, in an answer that asks for no redelivery", j.d.n, j.attempt, ir.ImageID, ir.Status, ir.Error)
			v = refused
		}
		s.claim(pair{ir.ImageID, ""}, ir.TaskID, "answer")
		for _, rr := range ir.Regions {
			s.claim(pair{ir.ImageID, rr.Region}, rr.TaskID, "answer")
			if (rr.Status == "started" || rr.Status == "already-distributed") && !copied(s.sb.API, ir.ImageID, rr.Region) {
				s.fail("delivery %d answered %s %s in %s, which the stand-in does not hold", j.d.n, ir.ImageID, rr.Status, rr.Region)
			}
		}
	}
	for _, a := range j.d.asks {
		if !got[a.img.ID] {
			s.fail("delivery %d attempt %d: no result for %s", j.d.n, j.attempt, a.img.ID)
		}
	}
	for _, p := range j.d.pairs() {
		if !copied(s.sb.API, p.image, p.region) {
			s.fail("lost: %s in %s: delivery %d asked for no redelivery, yet the stand-in does not hold it", p.image, p.region, j.d.n)
		}
	}
	return v
}
