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
	body, err := c.call(ctx, creds, ActionDistribute, params)
	if err != nil {
		return Started{}, fmt.Errorf("distribute %s to %s: %w", d.ImageID, strings.Join(d.Regions, ","), err)
	}
	var r struct{ Data string }
	requestID, err := envelope(body, creds)
	if err == nil && json.Unmarshal(body, &r) == nil && !strings.HasPrefix(r.Data, "tid-") {
		err = &Error{Code: CodeMalformed, Message: "response carries no task ID", RequestID: requestID, Class: Retryable}
	}
	if err != nil {
		// A malformed answer may hide a started task; a retry then
		// answers RepeatedDistribution.
		return Started{}, fmt.Errorf("distribute %s: %w", d.ImageID, err)
	}
	return Started{TaskID: r.Data, RequestID: requestID}, nil
}

// envelope checks the fields every answer shares. The SDK treats any 2xx
// as success, but the API can answer 200 with Success=false.
func envelope(body []byte, creds config.Credentials) (requestID string, err error) {
	var r struct {
		Success   *bool
		Code      json.RawMessage
		Message   string
		RequestID string `json:"RequestId"`
	}
	if err := json.Unmarshal(body, &r); err != nil {
		return "", &Error{Code: CodeMalformed, Message: "response is not JSON", Class: Retryable}
	}
	if r.Success != nil && !*r.Success {
		code := codeString(r.Code)
		return r.RequestID, &Error{Code: code, Message: redact(r.Message, creds), RequestID: r.RequestID, HTTPStatus: 200, Class: Classify(code, 200)}
	}
	return r.RequestID, nil
}

// codeString reads Code as the string the Tea SDK models or the number the
// documentation's example shows.
func codeString(raw json.RawMessage) string {
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return s
	}
	return strings.TrimSpace(string(raw))
}
