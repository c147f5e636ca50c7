package sweep_test

import (
	"testing"
	"time"

	"github.com/image-distributor/image-distributor/internal/appstream"
	"github.com/image-distributor/image-distributor/internal/config"
	"github.com/image-distributor/image-distributor/internal/sweep"
)

// attemptsOver runs the policy on one image over days of 5-minute ticks
// on a fake clock, the listing unchanged throughout (every answer a
// refusal or a copy that fails again), and counts per day the ticks that
// ask for cn-hangzhou and those that report at error level (steps).
func attemptsOver(t *testing.T, img appstream.Image, days int) (calls, steps []int) {
	t.Helper()
	s := settings(config.Sweep{ImageIDs: []string{img.ImageID}})
	created := img.Created
	for n := range days * 288 {
		at := created.Add(time.Duration(n) * 5 * time.Minute)
		if created.IsZero() {
			at = now.Add(time.Duration(n) * 5 * time.Minute)
		}
		d := n / 288
		if d >= len(calls) {
			calls, steps = append(calls, 0), append(steps, 0)
		}
		for _, a := range sweep.Reconcile([]appstream.Image{img}, nil, s, at)[0].Attempts {
			if a.Region != "cn-hangzhou" {
				continue
			}
			if a.Due {
				calls[d]++
			}
			if a.Step {
				steps[d]++
			}
		}
	}
	return calls, steps
}

func sum(xs []int) int {
	n := 0
	for _, x := range xs {
		n += x
	}
	return n
}

// What a region that never succeeds costs, from its image's creation,
// warm or cold alike: the schedule reads only GmtCreate and the tick.
func TestBackoffCost(t *testing.T) {
	done := []appstream.Copy{cp("cn-beijing", "AVAILABLE", "100%"), cp("cn-shenzhen", "AVAILABLE", "100%")}
	failed := created(image("imgc-a", append(done, cp("cn-hangzhou", "CREATE_FAILED", "40%"))...), -2*time.Minute)
	failed.Created = failed.Created.Truncate(time.Minute).Add(2 * time.Minute) // a minute off the ticks
	missing := failed
	missing.Copies = done
	unknown := failed
	unknown.Created = time.Time{}
	tests := []struct {
		name              string
		img               appstream.Image
		day1, day2, month int // calls
		steps1            int
	}{
		// 5, 10, 20, 40, 80, 160, 320, 640 and 1280 minutes, then daily.
		{"a copy failing for good", failed, 9, 1, 9 + 29, 9},
		// Every tick of its first two hours, then the points after them.
		{"a missing region refused for good", missing, 24 + 4, 1, 24 + 4 + 29, 9},
		// No creation time: on the whole hours.
		{"no GmtCreate", unknown, 24, 24, 24 * 30, 24},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			calls, steps := attemptsOver(t, tc.img, 30)
			if calls[0] != tc.day1 || calls[1] != tc.day2 || sum(calls) != tc.month || steps[0] != tc.steps1 {
				t.Errorf("calls day 1 %d, day 2 %d, 30 days %d, steps day 1 %d; want %d, %d, %d, %d",
					calls[0], calls[1], sum(calls), steps[0], tc.day1, tc.day2, tc.month, tc.steps1)
			}
		})
	}
}

func TestJudge(t *testing.T) {
	tests := []struct {
		name   string
		a      sweep.Attempt
		ans    sweep.Answer
		want   sweep.Concern
		person bool
	}{
		{"started", sweep.Attempt{State: sweep.Missing, Due: true}, sweep.AnswerStarted, "", false},
		{"refused at a step", sweep.Attempt{State: sweep.Missing, Due: true, Step: true}, sweep.AnswerRefused, sweep.Refused, true},
		{"refused while fresh", sweep.Attempt{State: sweep.Missing, Due: true}, sweep.AnswerRefused, sweep.Refused, false},
		{"repeated, another version held", sweep.Attempt{State: sweep.Missing, OtherVersion: true, Due: true, Step: true}, sweep.AnswerRepeated, sweep.OtherVersionHeld, true},
		{"repeated, nothing else held", sweep.Attempt{State: sweep.Missing, Due: true, Step: true}, sweep.AnswerRepeated, "", false},
		{"failing past the bound, restarted", sweep.Attempt{State: sweep.Failed, PastBound: true, Due: true, Step: true}, sweep.AnswerStarted, sweep.CopyFailing, true},
		{"failing past the bound, throttled", sweep.Attempt{State: sweep.Failed, PastBound: true, Due: true, Step: true}, sweep.AnswerOther, sweep.CopyFailing, true},
		{"failing within the bound", sweep.Attempt{State: sweep.Failed, Due: true, Step: true}, sweep.AnswerStarted, "", false},
	}
	for _, tc := range tests {
		if c, person := tc.a.Judge(tc.ans); c != tc.want || person != tc.person {
			t.Errorf("%s: Judge(%v) = %q, %v; want %q, %v", tc.name, tc.ans, c, person, tc.want, tc.person)
		}
	}
}

func TestPageWatch(t *testing.T) {
	var w sweep.PageWatch
	for i, tc := range []struct {
		fail   bool
		after  time.Duration
		person bool
	}{{true, 0, false}, {true, 55 * time.Minute, false}, {true, time.Hour, true}, {false, 65 * time.Minute, false}, {true, 70 * time.Minute, false}} {
		at := now.Add(tc.after)
		if !tc.fail {
			w.Listed(30)
			continue
		}
		if _, person := w.Failed(30, at, time.Hour); person != tc.person {
			t.Errorf("step %d: Failed(30, +%s) person = %v, want %v", i, tc.after, person, tc.person)
		}
	}
}

// Two passing failures hours apart, with no listing of the page between
// them that this instance saw, are not an hour of failing.
func TestPageWatchRestartsAfterAGap(t *testing.T) {
	var w sweep.PageWatch
	gap := 10 * time.Minute
	if _, person := w.Failed(30, now, gap); person {
		t.Fatal("a first failure is a person's")
	}
	if since, person := w.Failed(30, now.Add(3*time.Hour), gap); person || !since.Equal(now.Add(3*time.Hour)) {
		t.Errorf("a failure 3 h after the last: since %v, person %v; want a new run, not a person's", since, person)
	}
	w.Failed(31, now, gap)
	w.Forget(30)
	if since, _ := w.Failed(31, now.Add(5*time.Minute), gap); !since.Equal(now.Add(5 * time.Minute)) {
		t.Errorf("page 31 past a listing of 30 pages was not forgotten: failing since %v", since)
	}
}
