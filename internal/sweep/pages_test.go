package sweep_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/image-distributor/image-distributor/internal/sweep"
)

func TestPages(t *testing.T) {
	tests := []struct {
		n    int
		i    int64
		k    int
		want []int
	}{
		{1, 7, 10, nil},
		{2, 7, 10, []int{2}},
		{5, 0, 2, []int{2, 3, 4, 5}},
		{5, 1, 2, []int{4, 5, 2, 3}},
		{5, 2, 2, []int{2, 3, 4, 5}},
		{6, 4, 2, []int{4, 5, 6, 2, 3}}, // run 4 mod 3 = 1 starts at page 4
		{4, 9, 50, []int{2, 3, 4}},      // k past the listing: everything, every tick
		{4, -1, 1, []int{4, 2, 3}},      // before 1970, still a slot
		{101, 1 << 40, 10, nil},         // checked below for shape only
	}
	for _, tc := range tests {
		got := sweep.Pages(tc.n, tc.i, tc.k)
		if tc.want == nil && tc.n > 1 {
			if len(got) != tc.n-1 || !slices.Equal(slices.Sorted(slices.Values(got)), seq(2, tc.n)) {
				t.Errorf("Pages(%d, %d, %d) = %v, want a permutation of 2..%d", tc.n, tc.i, tc.k, got, tc.n)
			}
			continue
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("Pages(%d, %d, %d) = %v, want %v", tc.n, tc.i, tc.k, got, tc.want)
		}
	}
}

func seq(lo, hi int) []int {
	var out []int
	for i := lo; i <= hi; i++ {
		out = append(out, i)
	}
	return out
}

// The bound, on a fake clock: with P pages and room for k a tick, every
// page is listed within ⌈P/k⌉ + 1 ticks of any tick, with one page failing
// on every tick and the walk going past it. The policy reads only the
// tick's time, so whether a tick runs warm or cold cannot change it; the
// handler's tests check that it keeps nothing else.
func TestPagesBound(t *testing.T) {
	for _, tc := range []struct{ p, k, failing int }{{100, 10, 30}, {100, 7, 2}, {37, 5, 37}, {12, 11, 5}, {3, 1, 2}, {1000, 300, 400}} {
		t.Run(fmt.Sprintf("P=%d,k=%d", tc.p, tc.k), func(t *testing.T) {
			bound := (tc.p+tc.k-1)/tc.k + 1
			period := 5 * time.Minute
			start := time.Date(2026, 12, 6, 22, 50, 0, 0, time.UTC)
			last := map[int]int{}
			worst := 0
			for n := range 4 * bound * tc.k {
				tick := sweep.Tick{At: start.Add(time.Duration(n) * period), Period: period}
				listed := 0
				for _, p := range sweep.Pages(tc.p, tick.Index(), tc.k) {
					if listed == tc.k {
						break // out of time
					}
					listed++ // a failed page costs its call, and the walk goes on
					if p != tc.failing {
						if seen, ok := last[p]; ok {
							worst = max(worst, n-seen)
						} else {
							worst = max(worst, n+1)
						}
						last[p] = n
					}
				}
			}
			for p := 2; p <= tc.p; p++ {
				if _, ok := last[p]; !ok && p != tc.failing {
					t.Fatalf("page %d never listed", p)
				}
			}
			if worst > bound {
				t.Errorf("worst wait %d ticks, want at most ⌈P/k⌉+1 = %d", worst, bound)
			}
			if c := sweep.Cycle(tc.p, tc.k); c > bound-1 {
				t.Errorf("Cycle(%d, %d) = %d, want at most %d", tc.p, tc.k, c, bound-1)
			}
		})
	}
}

// A retried tick has the same triggerTime, so it repeats its own slot.
func TestTickIndex(t *testing.T) {
	at := time.Date(2026, 12, 6, 22, 50, 0, 0, time.UTC)
	for _, tc := range []struct {
		at   time.Time
		want int64
	}{
		{at, at.Unix() / 300},
		{at.Add(299 * time.Second), at.Unix() / 300},
		{at.Add(5 * time.Minute), at.Unix()/300 + 1},
		{time.Unix(-1, 0), -1},
	} {
		if got := (sweep.Tick{At: tc.at, Period: 5 * time.Minute}).Index(); got != tc.want {
			t.Errorf("Tick{%v, 5m}.Index() = %d, want %d", tc.at, got, tc.want)
		}
	}
	if got := sweep.PagesPerTick(5*time.Minute, 4); got != 300 {
		t.Errorf("PagesPerTick(5m, 4) = %d, want 300", got)
	}
	if got := sweep.PagesPerTick(time.Second, 0.1); got != 1 {
		t.Errorf("PagesPerTick(1s, 0.1) = %d, want 1", got)
	}
}

// A listing that grows: the runs stay put until it grows by a whole run,
// so a page waits more than a cycle only when the cycle itself grows, and
// then at most two cycles.
func TestPagesBoundGrowing(t *testing.T) {
	const k = 10
	period := 5 * time.Minute
	start := time.Date(2026, 12, 6, 22, 50, 0, 0, time.UTC)
	last := map[int]int{}
	worst, n := 0, 30
	for i := range 2016 {
		if i%4 == 0 && n < 150 {
			n++ // a page every 20 minutes
		}
		tick := sweep.Tick{At: start.Add(time.Duration(i) * period), Period: period}
		for _, p := range sweep.Pages(n, tick.Index(), k)[:min(k, n-1)] {
			if seen, ok := last[p]; ok {
				worst = max(worst, i-seen)
			}
			last[p] = i
		}
	}
	if c := sweep.Cycle(150, k); worst > 2*c+1 {
		t.Errorf("worst wait %d ticks while the listing grew to 150 pages, want at most %d", worst, 2*c+1)
	}
}

func TestTickEndAndSuperseded(t *testing.T) {
	at := time.Date(2026, 12, 6, 22, 50, 0, 0, time.UTC)
	tick := sweep.Tick{At: at, Period: 5 * time.Minute}
	if got, want := tick.End(), at.Add(5*time.Minute-sweep.TickMargin); !got.Equal(want) {
		t.Errorf("End = %v, want %v", got, want)
	}
	for _, tc := range []struct {
		now  time.Time
		want bool
	}{
		{at, false},                          // on time
		{at.Add(4 * time.Minute), false},     // a retry with time left
		{tick.End(), true},                   // a retry once the next tick is due
		{at.Add(50 * time.Minute), true},     // FC's last retries
		{at.Add(sweep.MaxRetryAge), false},   // too old for a retry: a replay
		{at.Add(-time.Minute), false},        // a clock behind the trigger's
		{at.Add(30 * 24 * time.Hour), false}, // a sample run by hand
	} {
		if got := tick.Superseded(tc.now); got != tc.want {
			t.Errorf("Superseded(at%+v) = %v, want %v", tc.now.Sub(at), got, tc.want)
		}
	}
}
