package handler

import (
	"encoding/json"

	"github.com/rs/zerolog"
)

// maxResultBytes keeps an answer within FC's 6 MB limit on a function's
// result, with room to spare. Past it FC fails the invocation
// (ResponseTooLarge) whatever the function did: a sweep reports every
// managed image in about 200 bytes, so a catalogue of some 30,000 images
// failed every tick, though maxPages lists up to 100,000.
const maxResultBytes = 5 << 20

// dropOrder is the order in which images are left out of an answer that
// is too large, least missed first: complete ones needed nothing, and a
// failure is what a person reads the answer for.
var dropOrder = []Status{StatusComplete, StatusInProgress, StatusAlready, StatusDryRun,
	StatusStarted, StatusNotReached, StatusDeferred, StatusFailed}

// fitted is fit at maxResultBytes, with one warning when images were left
// out; each of them has its own log line.
func fitted(log zerolog.Logger, res Result) Result {
	res, n := fit(res, maxResultBytes)
	if n > 0 {
		log.Warn().Int("omitted", n).Msg("the answer leaves out images to stay within FC's 6 MB limit on a result; " +
			"omitted counts them by status, and each has its own log line")
	}
	return res
}

// fit returns res with its JSON at most limit bytes, and how many images
// it left out: by dropOrder, the last of a status first, each counted in
// Omitted. The rest keep their order.
func fit(res Result, limit int) (Result, int) {
	if b, err := json.Marshal(res); err != nil || len(b) <= limit {
		return res, 0
	}
	// The largest Omitted map is a few hundred bytes, kept in hand.
	total := 256
	sizes := make([]int, len(res.Results))
	for i, r := range res.Results {
		b, _ := json.Marshal(r)
		sizes[i] = len(b) + 1 // and its comma
		total += sizes[i]
	}
	rest := res
	rest.Results = nil
	b, _ := json.Marshal(rest)
	total += len(b)

	drop := make([]bool, len(res.Results))
	omitted := map[Status]int{}
	n := 0
	for _, st := range dropOrder {
		for i := len(res.Results) - 1; i >= 0 && total > limit; i-- {
			if !drop[i] && res.Results[i].Status == st {
				drop[i], total = true, total-sizes[i]
				omitted[st]++
				n++
			}
		}
	}
	kept := make([]ImageResult, 0, len(res.Results)-n)
	for i, r := range res.Results {
		if !drop[i] {
			kept = append(kept, r)
		}
	}
	res.Results, res.Omitted = kept, omitted
	return res, n
}
