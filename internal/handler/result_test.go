package handler

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestSettle(t *testing.T) {
	throttled := &ErrorInfo{Code: "Throttling", Retryable: true}
	notAllowed := &ErrorInfo{Code: "ImageRegionDistribute.NotAllow"}
	notReady := &ErrorInfo{Code: "ImageRegion.NotConfigured", Retryable: true}
	deadline := &ErrorInfo{Code: "DeadlineExceeded", Retryable: true}
	started := func(region, task string) RegionResult {
		return RegionResult{Region: region, Status: StatusStarted, TaskID: task, APIRequestID: "R-" + task}
	}
	already := func(region string) RegionResult { return RegionResult{Region: region, Status: StatusAlready} }
	failed := func(region string, e *ErrorInfo) RegionResult {
		return RegionResult{Region: region, Status: StatusFailed, Error: e, APIRequestID: "R-" + region}
	}
	cases := []struct {
		name    string
		regions []RegionResult
		want    ImageResult
	}{
		{"one call started every region", []RegionResult{started("a", "tid-1"), started("b", "tid-1")},
			ImageResult{Status: StatusStarted, TaskID: "tid-1", APIRequestID: "R-tid-1"}},
		{"every region already there", []RegionResult{already("a"), already("b")},
			ImageResult{Status: StatusAlready}},
		{"started wins over already", []RegionResult{already("a"), started("b", "tid-2"), started("c", "tid-3")},
			ImageResult{Status: StatusStarted, TaskID: "tid-2", APIRequestID: "R-tid-2"}},
		{"not reached wins over started", []RegionResult{started("a", "tid-1"), {Region: "b", Status: StatusNotReached, Error: deadline}},
			ImageResult{Status: StatusNotReached, Error: deadline}},
		{"deferred wins over not reached", []RegionResult{{Region: "a", Status: StatusNotReached, Error: deadline}, {Region: "b", Status: StatusDeferred, Error: notReady}},
			ImageResult{Status: StatusDeferred, Error: notReady}},
		{"failed wins over everything", []RegionResult{started("a", "tid-1"), {Region: "b", Status: StatusDeferred, Error: notReady}, failed("c", throttled)},
			ImageResult{Status: StatusFailed, APIRequestID: "R-c", Error: throttled}},
		{"a retryable failure is worse than a permanent one", []RegionResult{failed("a", notAllowed), failed("b", throttled)},
			ImageResult{Status: StatusFailed, APIRequestID: "R-b", Error: throttled}},
		{"first of equals in destination order", []RegionResult{failed("a", throttled), failed("b", throttled)},
			ImageResult{Status: StatusFailed, APIRequestID: "R-a", Error: throttled}},
		{"permanent failure beside a retryable region is retryable", []RegionResult{failed("a", notAllowed), {Region: "b", Status: StatusDeferred, Error: notReady}},
			ImageResult{Status: StatusFailed, APIRequestID: "R-a", Error: &ErrorInfo{Code: "ImageRegionDistribute.NotAllow", Retryable: true}}},
		{"permanent failure beside a started region", []RegionResult{started("a", "tid-1"), failed("b", notAllowed)},
			ImageResult{Status: StatusFailed, APIRequestID: "R-b", Error: notAllowed}},
		{"dry run", []RegionResult{{Region: "a", Status: StatusDryRun}}, ImageResult{Status: StatusDryRun}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r := ImageResult{Regions: tc.regions}
			r.settle()
			r.Regions = nil
			if diff := cmp.Diff(tc.want, r, cmp.AllowUnexported(ImageResult{})); diff != "" {
				t.Errorf("settle() mismatch (-want +got):\n%s", diff)
			}
		})
	}
	if notAllowed.Retryable {
		t.Error("settle changed a region's shared error")
	}
}
