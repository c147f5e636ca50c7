package handler

import (
	"encoding/json"
	"fmt"
	"slices"
	"testing"

	"github.com/image-distributor/image-distributor/internal/sweep"
)

// An answer over the limit leaves out the least missed images (complete,
// then in-progress, then ...), the last of a status first, keeps the
// others in order and counts what it left out.
func TestFitLeavesOutTheLeastMissedImages(t *testing.T) {
	var all []ImageResult
	for i := range 300 {
		st := StatusComplete
		switch {
		case i%100 == 7:
			st = StatusFailed // 3
		case i%50 == 3:
			st = StatusStarted // 6
		case i%10 == 1:
			st = StatusInProgress // 30
		}
		all = append(all, ImageResult{ImageID: fmt.Sprintf("imgc-fit%05d", i), DestinationRegions: []string{"cn-hangzhou"}, Status: st})
	}
	size := func(r Result) int { b, _ := json.Marshal(r); return len(b) }
	entry := size(Result{Results: all[:1]})
	for _, tc := range []struct {
		name  string
		limit int
		want  map[Status]int // Omitted, where the test pins it
	}{
		{"fits", size(Result{Results: all}), nil},
		{"room for the 39 images not complete", 45 * entry, nil},
		{"room for the started and failed ones", 12 * entry, nil},
		{"room for one", 4 * entry, nil},
		{"room for none", 1, map[Status]int{StatusComplete: 261, StatusInProgress: 30, StatusStarted: 6, StatusFailed: 3}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, n := fit(Result{Results: all}, tc.limit)
			if s := size(got); s > tc.limit && len(got.Results) > 0 {
				t.Errorf("fit(limit %d) answers %d bytes", tc.limit, s)
			}
			if tc.want != nil && fmt.Sprint(got.Omitted) != fmt.Sprint(tc.want) {
				t.Errorf("Omitted = %v, want %v", got.Omitted, tc.want)
			}
			sum := 0
			for _, v := range got.Omitted {
				sum += v
			}
			if n != len(all)-len(got.Results) || sum != n {
				t.Errorf("fit reports %d left out, Omitted sums to %d; %d of %d kept", n, sum, len(got.Results), len(all))
			}
			checkDropOrder(t, all, got.Results)
		})
	}
	// With room for a handful, the failures are what stays.
	got, _ := fit(Result{Results: all}, 6*entry)
	for _, r := range got.Results {
		if r.Status != StatusFailed {
			t.Errorf("with room for a handful, kept %s %s; want only failures", r.ImageID, r.Status)
		}
	}
	if len(got.Results) == 0 {
		t.Error("with room for a handful, kept nothing")
	}
}

// checkDropOrder checks kept is in the order of all; no status earlier
// in dropOrder than one left out is kept; and within a status the kept
// images come before those left out (the last go first).
func checkDropOrder(t *testing.T, all, kept []ImageResult) {
	t.Helper()
	keptAt := map[string]int{}
	for i, r := range kept {
		keptAt[r.ImageID] = i
	}
	last, worst, gone := -1, -1, map[Status]string{}
	for _, r := range all {
		k, ok := keptAt[r.ImageID]
		if !ok {
			if _, seen := gone[r.Status]; !seen {
				gone[r.Status] = r.ImageID
			}
			worst = max(worst, slices.Index(dropOrder, r.Status))
			continue
		}
		if k <= last {
			t.Errorf("%s kept out of order", r.ImageID)
		}
		last = k
		if g, seen := gone[r.Status]; seen {
			t.Errorf("%s kept, though %s before it, of the same status, was left out", r.ImageID, g)
		}
	}
	for _, r := range kept {
		if slices.Index(dropOrder, r.Status) < worst {
			t.Errorf("%s (%s) kept while a %s was left out", r.ImageID, r.Status, dropOrder[worst])
		}
	}
}

// A status query about every managed image is held to the same limit,
// complete images left out first, then in-progress; incomplete ones are
// what a person asks for, so they stay longest.
func TestFitStatusLeavesOutCompleteImagesFirst(t *testing.T) {
	var all []ImageStatus
	for i := range 100 {
		v := sweep.VerdictComplete
		switch {
		case i%25 == 4:
			v = sweep.VerdictIncomplete // 4
		case i%10 == 1:
			v = sweep.VerdictInProgress // 10
		}
		all = append(all, ImageStatus{ImageID: fmt.Sprintf("imgc-st%05d", i), Status: "AVAILABLE", Verdict: v,
			Regions: []RegionStatus{{Region: "cn-hangzhou", State: sweep.Done}}})
	}
	b, _ := json.Marshal(all[0])
	entry := len(b) + 1
	kept, omitted, n := trim(all, StatusAll{}, 20*entry, verdictDropOrder, func(s ImageStatus) sweep.Verdict { return s.Verdict })
	if n != len(all)-len(kept) || omitted[sweep.VerdictComplete] != n {
		t.Fatalf("trim left out %d (%v), kept %d of %d; want only complete images left out", n, omitted, len(kept), len(all))
	}
	for _, v := range []sweep.Verdict{sweep.VerdictInProgress, sweep.VerdictIncomplete} {
		want := 0
		for _, s := range all {
			if s.Verdict == v {
				want++
			}
		}
		got := 0
		for _, s := range kept {
			if s.Verdict == v {
				got++
			}
		}
		if got != want {
			t.Errorf("kept %d %s images, want all %d", got, v, want)
		}
	}
	if b, _ := json.Marshal(StatusAll{Images: kept, Omitted: omitted}); len(b) > 20*entry {
		t.Errorf("answer is %d bytes, over the %d limit", len(b), 20*entry)
	}
	if kept, omitted, n := trim(all, StatusAll{}, 1<<20, verdictDropOrder, func(s ImageStatus) sweep.Verdict { return s.Verdict }); n != 0 || omitted != nil || len(kept) != len(all) {
		t.Errorf("an answer that fits lost %d images (%v)", n, omitted)
	}
}
