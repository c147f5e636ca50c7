package handler

import (
	"errors"

	"github.com/image-distributor/image-distributor/internal/appstream"
	"github.com/image-distributor/image-distributor/internal/plan"
	"github.com/image-distributor/image-distributor/internal/trigger"
)

// Status is what happened to one image.
type Status string

// The statuses an image can end in.
const (
	StatusStarted  Status = "started"
	StatusAlready  Status = "already-distributed"
	StatusDryRun   Status = "dry-run"
	StatusDeferred Status = "deferred"
	StatusFailed   Status = "failed"
	// The sweep's own statuses.
	StatusComplete   Status = "complete"
	StatusInProgress Status = "in-progress"
	StatusNotReached Status = "not-reached"
	// The sweep's long-run statuses (see package sweep): a region waiting
	// for its backoff step, one the API refuses for good, one holding
	// another version, and an image whose home region is unknown.
	StatusBackoff       Status = "backoff"
	StatusRefused       Status = "refused"
	StatusOtherVersion  Status = "other-version"
	StatusSourceUnknown Status = "source-unknown"
)

// statuses lists every status, in the order the summary line counts them.
var statuses = []Status{StatusStarted, StatusAlready, StatusDryRun, StatusDeferred, StatusFailed, StatusComplete,
	StatusInProgress, StatusNotReached, StatusBackoff, StatusRefused, StatusOtherVersion, StatusSourceUnknown}

// Result is what an invocation returns: one entry per planned image.
type Result struct {
	Results []ImageResult  `json:"results"`
	Skipped []trigger.Skip `json:"skipped,omitempty"`
	// Omitted counts, by status, the images left out of Results to keep
	// the answer within FC's limit on a result (see fit).
	Omitted map[Status]int `json:"omitted,omitempty"`
}

// ImageResult is the outcome for one image. Status, TaskID, APIRequestID
// and Error are those of its worst region (see settle); Regions has each
// region's own.
type ImageResult struct {
	ImageID            string   `json:"imageId"`
	VersionID          string   `json:"versionId,omitempty"`
	ProductType        string   `json:"productType,omitempty"`
	SourceRegion       string   `json:"sourceRegion,omitempty"`
	DestinationRegions []string `json:"destinationRegions"`
	Status             Status   `json:"status"`
	TaskID             string   `json:"taskId,omitempty"`
	APIRequestID       string   `json:"apiRequestId,omitempty"`
	// Attempts counts the API calls made for the image, retries included.
	Attempts int `json:"attempts,omitempty"`
	// Progress maps regions whose copy is under way to its progress.
	Progress map[string]string `json:"progress,omitempty"`
	// NextAttempt is when the sweep next asks for a region it did not ask
	// for on this tick (RFC 3339).
	NextAttempt string         `json:"nextAttempt,omitempty"`
	Error       *ErrorInfo     `json:"error,omitempty"`
	Regions     []RegionResult `json:"regions,omitempty"`
	eventIDs    []string
	// betweenSteps: a failure the sweep reports on every tick and as a
	// person's only at its backoff steps (sweep.Item.Step), and this tick
	// is not one.
	betweenSteps bool
}

// RegionResult is the outcome for one destination region of an image.
type RegionResult struct {
	Region       string     `json:"region"`
	Status       Status     `json:"status"`
	TaskID       string     `json:"taskId,omitempty"`
	APIRequestID string     `json:"apiRequestId,omitempty"`
	NextAttempt  string     `json:"nextAttempt,omitempty"`
	Error        *ErrorInfo `json:"error,omitempty"`
}

// ErrorInfo explains a failed or deferred image.
type ErrorInfo struct {
	Code      string `json:"code"`
	Message   string `json:"message"`
	Retryable bool   `json:"retryable"`
}

// newResult opens a result for t with every region still undecided.
func newResult(t plan.Task) ImageResult {
	r := ImageResult{ImageID: t.ImageID, VersionID: t.VersionID, ProductType: t.ProductType,
		SourceRegion: t.SourceRegion, DestinationRegions: t.Regions, eventIDs: t.EventIDs,
		Regions: make([]RegionResult, len(t.Regions))}
	for i, region := range t.Regions {
		r.Regions[i].Region = region
	}
	return r
}

// outcome maps one distribute call's answer to the regions it asked for;
// it is the one place an error's class becomes a status. For a young
// image, a code that means "not yet" (appstream.NotYet) is deferred
// whatever its class.
func outcome(regions []string, s appstream.Started, attempts int, err error, young bool) []RegionResult {
	var rr RegionResult
	var ae *appstream.Error
	switch {
	case err == nil:
		rr.Status, rr.TaskID, rr.APIRequestID = StatusStarted, s.TaskID, s.RequestID
	case !errors.As(err, &ae):
		rr.Status = StatusFailed
		rr.Error = &ErrorInfo{Code: "InternalError", Message: err.Error()}
	case attempts == 0 && ae.Code == appstream.CodeDeadline:
		// The deadline came before the first call: nothing was tried, so
		// nothing failed. A redelivery or the next run reaches it.
		rr.Status = StatusNotReached
		rr.Error = &ErrorInfo{Code: ae.Code, Message: "not reached before the invocation deadline", Retryable: true}
	case ae.Class == appstream.AlreadyDone:
		rr.Status, rr.APIRequestID = StatusAlready, ae.RequestID
	default:
		class := ae.Class
		if young && appstream.NotYet(ae.Code) {
			class = appstream.Deferred
		}
		rr.Status, rr.APIRequestID = StatusFailed, ae.RequestID
		if class == appstream.Deferred {
			rr.Status = StatusDeferred
		}
		rr.Error = &ErrorInfo{Code: ae.Code, Message: err.Error(), Retryable: class != appstream.Permanent}
	}
	out := make([]RegionResult, len(regions))
	for i, region := range regions {
		out[i] = rr
		out[i].Region = region
	}
	return out
}

func problemResult(p plan.Problem) ImageResult {
	return ImageResult{ImageID: p.Image.ImageID, VersionID: p.Image.VersionID, ProductType: p.Image.ProductType,
		SourceRegion: p.Image.SourceRegion, DestinationRegions: p.Image.Destinations, Status: StatusFailed,
		Error: &ErrorInfo{Code: p.Code, Message: p.Message}}
}

// counts tallies statuses and failures that a later delivery could fix.
type counts struct {
	byStatus map[Status]int
	retry    int // failed-retryable plus deferred
}

func tally(rs []ImageResult) counts {
	c := counts{byStatus: map[Status]int{}}
	for _, r := range rs {
		c.byStatus[r.Status]++
		if r.Error != nil && r.Error.Retryable {
			c.retry++
		}
	}
	return c
}
