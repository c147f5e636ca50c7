package appstreamtest

import (
	"cmp"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/image-distributor/image-distributor/internal/config"
)

// action handles one RPC Action for a request that passed the gateway. It
// fills the action's fields of c and returns the answer.
type action func(s *Server, ctx context.Context, c *Call) answer

// actions is the RPC dispatch table; a new API (ListImage) is one entry.
var actions = map[string]action{
	"StartTaskForDistributeImage": (*Server).startTaskForDistributeImage,
	"ListImage":                   (*Server).listImage,
}

// startTaskForDistributeImage validates the request, then plays the next
// scripted response or the default (see startCopiesLocked).
func (s *Server) startTaskForDistributeImage(ctx context.Context, c *Call) answer {
	p := c.Params
	c.ImageID, c.VersionID = p.Get("ImageId"), p.Get("VersionId")
	c.ProductType, c.SourceRegion = p.Get("ProductType"), p.Get("SourceRegion")
	c.DestinationRegions = indexedList(p, "DestinationRegionList")
	if c.ImageID == "" {
		return errorAnswer(c.RequestID, ErrorResponse("MissingImageId"))
	}
	if len(c.DestinationRegions) == 0 {
		return errorAnswer(c.RequestID, ErrorResponse("ImageDistribute.TargetDistributeRegionListEmpty"))
	}
	for _, r := range c.DestinationRegions {
		if !config.KnownRegion(r) {
			return errorAnswer(c.RequestID, unknownRegion)
		}
	}

	if a, done := s.playScript(ctx, &s.script, c.RequestID); done {
		return a
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	if code := s.startCopiesLocked(c, time.Now()); code != "" {
		return errorAnswer(c.RequestID, ErrorResponse(code))
	}
	return successAnswer(c.RequestID, newTaskID())
}

// unknownRegion answers a call naming a region the API does not serve.
// Undocumented: the API's error table has no code for it. InvalidParameter
// with HTTP 400 is the gateway's documented code for a parameter value it
// refuses (API-NOTES §5), worded as the gateway words InvalidVersion; that
// the whole call is refused for one bad region is inferred, the unkind
// reading. The regions it knows are config.KnownRegions.
var unknownRegion = Response{Status: http.StatusBadRequest, Code: "InvalidParameter",
	Message: "Specified parameter DestinationRegionList is not valid."}

// pop takes the next scripted response off q (a queue guarded by s.mu); the
// zero Response (default behaviour, no delay) when q is empty.
func (s *Server) pop(q *[]Response) Response {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(*q) == 0 {
		return Response{}
	}
	r := (*q)[0]
	*q = (*q)[1:]
	return r
}

// indexedList reads an RPC-flattened array (prefix.1, prefix.2, …) in index
// order. Gaps are tolerated; non-numeric suffixes are ignored.
func indexedList(p url.Values, prefix string) []string {
	items := indexed(p, prefix, "")
	out := make([]string, 0, len(items))
	for _, it := range items {
		out = append(out, it.v)
	}
	return out
}

// item is one element of a flattened array and its 1-based index.
type item struct {
	i int
	v string
}

// indexed reads the non-empty prefix.N+suffix values, in index order.
// A suffix such as ".Key" reads one field of an array of structs.
func indexed(p url.Values, prefix, suffix string) []item {
	var items []item
	for k, vs := range p {
		n, hasPrefix := strings.CutPrefix(k, prefix+".")
		n, hasSuffix := strings.CutSuffix(n, suffix)
		if !hasPrefix || !hasSuffix {
			continue
		}
		if i, err := strconv.Atoi(n); err == nil && i > 0 && len(vs) > 0 && vs[0] != "" {
			items = append(items, item{i, vs[0]})
		}
	}
	slices.SortFunc(items, func(a, b item) int { return cmp.Compare(a.i, b.i) })
	return items
}

// successBody is the documented success shape. Code is a number here, unlike
// in error bodies, exactly as in the API page's example.
type successBody struct {
	Data      string `json:"Data"`
	Success   bool   `json:"Success"`
	Code      int    `json:"Code"`
	Message   string `json:"Message"`
	RequestID string `json:"RequestId"`
}

// successAnswer returns a 200 carrying taskID.
func successAnswer(requestID, taskID string) answer {
	body, _ := json.Marshal(successBody{
		Data: taskID, Success: true, Code: http.StatusOK, Message: "success", RequestID: requestID,
	})
	return answer{status: http.StatusOK, taskID: taskID, body: body}
}

// playScript pops the next scripted answer from q and sleeps its delay. It
// reports whether the script decided the answer; a default entry (or an
// empty queue) leaves it to the action's own behaviour.
func (s *Server) playScript(ctx context.Context, q *[]Response, requestID string) (answer, bool) {
	r := s.pop(q)
	if !s.sleep(ctx, r.Delay) {
		return answer{gone: true}, true
	}
	if !r.isDefault() {
		return r.answer(requestID), true
	}
	return answer{}, false
}
