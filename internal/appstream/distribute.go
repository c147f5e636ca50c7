package appstream

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/image-distributor/image-distributor/internal/config"
)

// Distribution is one StartTaskForDistributeImage request.
type Distribution struct {
	ImageID      string
	VersionID    string
	ProductType  string
	SourceRegion string
	Regions      []string
}

// Started is the API's answer: the copy task it started.
type Started struct {
	TaskID    string
	RequestID string
}

// Distribute starts one task copying the image to every region in d. It
// makes exactly one attempt; retrying is the caller's decision, guided by
// the *Error's Class.
func (c *Client) Distribute(ctx context.Context, creds config.Credentials, d Distribution) (Started, error) {
	if len(d.Regions) == 0 {
		// The API would answer TargetDistributeRegionListEmpty; say it here.
		return Started{}, &Error{Code: "ImageDistribute.TargetDistributeRegionListEmpty", Message: "no destination regions", Class: Permanent}
	}
	params := map[string]string{"ImageId": d.ImageID}
	set := func(k, v string) {
		if v != "" {
			params[k] = v
		}
	}
	set("VersionId", d.VersionID)
	set("ProductType", d.ProductType)
	set("SourceRegion", d.SourceRegion)
	for i, r := range d.Regions {
		params[fmt.Sprintf("DestinationRegionList.%d", i+1)] = r
	}
	fail := func(err error) (Started, error) {
		return Started{}, fmt.Errorf("distribute %s to %s: %w", d.ImageID, strings.Join(d.Regions, ","), err)
	}
	body, requestID, err := c.call(ctx, creds, ActionDistribute, params)
	if err != nil {
		return fail(err)
	}
	var r struct{ Data json.RawMessage }
	var taskID string
	if json.Unmarshal(body, &r) != nil || json.Unmarshal(r.Data, &taskID) != nil || !strings.HasPrefix(taskID, "tid-") {
		// A success without a task ID may still hide a started task; a
		// retry then answers RepeatedDistribution.
		return fail(&Error{Code: CodeMalformed, Message: "response carries no task ID", RequestID: requestID, HTTPStatus: 200, Class: Retryable})
	}
	return Started{TaskID: taskID, RequestID: requestID}, nil
}
