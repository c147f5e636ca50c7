package handler

import (
	"encoding/json"

	"github.com/rs/zerolog"

	"github.com/image-distributor/image-distributor/internal/sweep"
)

// maxResultBytes keeps an answer within FC's 6 MB limit on a function's
// result, with room to spare. Past it FC fails the invocation
// (ResponseTooLarge) whatever the function did: a sweep reports every
// managed image in about 200 bytes, so a catalogue of some 30,000 images
// failed every tick, though maxPages lists up to 100,000. A status query
// about every managed image answers in about as many bytes an image.
const maxResultBytes = 5 << 20

// dropOrder is the order in which images are left out of an answer that
// is too large, least missed first: complete ones needed nothing, and a
// failure is what a person reads the answer for.
var dropOrder = []Status{StatusComplete, StatusInProgress, StatusAlready, StatusDryRun, StatusBackoff,
	StatusStarted, StatusNotReached, StatusDeferred, StatusSourceUnknown, StatusOtherVersion, StatusRefused, StatusFailed}

// verdictDropOrder is dropOrder for a status query's images.
var verdictDropOrder = []sweep.Verdict{sweep.VerdictComplete, sweep.VerdictInProgress, sweep.VerdictIncomplete}

// omittedWarning is logged once when an answer leaves images out; each of
// them still has its own log line (a distribution) or can be asked about
// on its own (a status query).
const omittedWarning = "the answer leaves out images to stay within FC's 6 MB limit on a result; omitted counts them"

// fitted is fit at maxResultBytes, with one warning when images were left
// out; each of them has its own log line.
func fitted(log zerolog.Logger, res Result) Result {
	res, n := fit(res, maxResultBytes)
	if n > 0 {
		log.Warn().Int("omitted", n).Msg(omittedWarning)
	}
	return res
}

// fit returns res with its JSON at most limit bytes, and how many images
// it left out: by dropOrder, the last of a status first, each counted in
// Omitted. The rest keep their order.
func fit(res Result, limit int) (Result, int) {
	rest := res
	rest.Results = nil
	var n int
	res.Results, res.Omitted, n = trim(res.Results, rest, limit, dropOrder, func(r ImageResult) Status { return r.Status })
	return res, n
}

// fitStatus is fit for the answer about every managed image, by verdict.
func fitStatus(log zerolog.Logger, out StatusAll) StatusAll {
	rest := out
	rest.Images = nil
	var n int
	out.Images, out.Omitted, n = trim(out.Images, rest, maxResultBytes, verdictDropOrder, func(s ImageStatus) sweep.Verdict { return s.Verdict })
	if n > 0 {
		log.Warn().Int("omitted", n).Msg(omittedWarning)
	}
	return out
}

// trim leaves items out until the JSON of the kept ones and of rest (the
// answer without its items) is at most limit bytes: by order of their
// class, least missed first, the last of a class first. It returns the
// kept items in their order, the left-out ones counted by class (nil when
// none), and how many it left out.
func trim[T any, C comparable](items []T, rest any, limit int, order []C, class func(T) C) ([]T, map[C]int, int) {
	// The largest count map is a few hundred bytes, kept in hand.
	total := 256
	if b, err := json.Marshal(rest); err == nil {
		total += len(b)
	}
	sizes := make([]int, len(items))
	for i, it := range items {
		b, _ := json.Marshal(it)
		sizes[i] = len(b) + 1 // and its comma
		total += sizes[i]
	}
	if total <= limit {
		return items, nil, 0
	}
	drop := make([]bool, len(items))
	omitted := map[C]int{}
	n := 0
	for _, c := range order {
		for i := len(items) - 1; i >= 0 && total > limit; i-- {
			if !drop[i] && class(items[i]) == c {
				drop[i], total = true, total-sizes[i]
				omitted[c]++
				n++
			}
		}
	}
	kept := make([]T, 0, len(items)-n)
	for i, it := range items {
		if !drop[i] {
			kept = append(kept, it)
		}
	}
	return kept, omitted, n
}
