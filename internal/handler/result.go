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
)

// Result is what an invocation returns: one entry per planned image.
type Result struct {
	Results []ImageResult  `json:"results"`
	Skipped []trigger.Skip `json:"skipped,omitempty"`
}

// ImageResult is the outcome for one image.
type ImageResult struct {
	ImageID            string   `json:"imageId"`
	VersionID          string   `json:"versionId,omitempty"`
	ProductType        string   `json:"productType,omitempty"`
	SourceRegion       string   `json:"sourceRegion,omitempty"`
	DestinationRegions []string `json:"destinationRegions"`
	Status             Status   `json:"status"`
	TaskID             string   `json:"taskId,omitempty"`
	APIRequestID       string   `json:"apiRequestId,omitempty"`
	Attempts           int      `json:"attempts,omitempty"`
	// Progress maps regions whose copy is under way to its progress.
	Progress map[string]string `json:"progress,omitempty"`
	Error    *ErrorInfo        `json:"error,omitempty"`
	eventIDs []string
}

// ErrorInfo explains a failed or deferred image.
type ErrorInfo struct {
	Code      string `json:"code"`
	Message   string `json:"message"`
	Retryable bool   `json:"retryable"`
}

func newResult(t plan.Task) ImageResult {
	return ImageResult{ImageID: t.ImageID, VersionID: t.VersionID, ProductType: t.ProductType,
		SourceRegion: t.SourceRegion, DestinationRegions: t.Regions, eventIDs: t.EventIDs}
}

// outcome maps a distribute call's answer to a result; it is the one place
// an error's class becomes a status.
func outcome(r ImageResult, s appstream.Started, attempts int, err error) ImageResult {
	r.Attempts = attempts
	if err == nil {
		r.Status, r.TaskID, r.APIRequestID = StatusStarted, s.TaskID, s.RequestID
		return r
	}
	var ae *appstream.Error
	if !errors.As(err, &ae) {
		ae = &appstream.Error{Code: "InternalError", Message: err.Error(), Class: appstream.Permanent}
	}
	r.APIRequestID = ae.RequestID
	if attempts == 0 && ae.Code == appstream.CodeDeadline {
		// The deadline came before this image's first call: nothing was
		// tried, so nothing failed. A redelivery or the next run reaches it.
		r.Status = StatusNotReached
		r.Error = &ErrorInfo{Code: ae.Code, Message: "not reached before the invocation deadline", Retryable: true}
		return r
	}
	switch ae.Class {
	case appstream.AlreadyDone:
		r.Status = StatusAlready
		return r
	case appstream.Deferred:
		r.Status = StatusDeferred
	default:
		r.Status = StatusFailed
	}
	r.Error = &ErrorInfo{Code: ae.Code, Message: err.Error(), Retryable: ae.Class != appstream.Permanent}
	return r
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
