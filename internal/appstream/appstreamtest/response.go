package appstreamtest

import (
	"cmp"
	"net/http"
	"strings"
	"time"
)

// Response scripts the answer to one StartTaskForDistributeImage call
// (Script) or ListImage call (SetListError).
type Response struct {
	// Status is the HTTP status; 0 means 400 when Code is set, 200 otherwise.
	Status int
	// Code and Message form a gateway error body. An empty Code with Status 0
	// (or 200) keeps the default behaviour, after Delay.
	Code, Message string
	// Delay is slept before answering; it ends early if the client leaves.
	Delay time.Duration
	// RawBody, if set, is sent verbatim with Status (HTML error pages,
	// truncated JSON, numeric codes, …).
	RawBody string
	// Reset closes the connection without answering.
	Reset bool
	// Empty sends Status with no body at all, as a proxy may (429, 502).
	Empty bool
}

// seedErrors is the error table of the StartTaskForDistributeImage API page,
// in table order. All of them are HTTP 400.
var seedErrors = []struct{ code, message string }{
	{"Instance.NotFound", "The instance is not found."},
	{"DesktopInstance.NotFound", "The cloud computer instance does not exist."},
	{"Instance.ImageUnsupported", "A non-centralized image does not support this type of operation."},
	{"Instance.PhysicalNodeNotExist", "The instance physical node does not exist."},
	{"ImageCreateByInstance.TaskExist", "The image task of instance creation already exists."},
	{"ExceedBuilderQuota", "The maximum number of builders is reached."},
	{"InvalidBaseImage.NotConfigured", "Configuration required for Vhd/Container images."},
	{"CreateDesktopImageRecord.Failed", "Create cloud computer image failed."},
	{"Image.NotExist", "The image does not exist."},
	{"ImageRegionDistribute.NotAllow", "This image cannot be distributed."},
	{"ImageUpdateFailed.NotAllow", "The image is not allowed to be modified."},
	{"ImageUpdateSharedImageFailed.NotAllow", "The shared image is not allowed to be modified."},
	{"ParentImageRegionDistribute.NotExist", "The target distribution region of the parent image does not exist."},
	{"InternalError", "Internal error."},
	{"ImageDistribute.TargetDistributeRegionListEmpty", "The target distribution region list is empty."},
	{"ImageDistribute.ImageNotSupport", "The image does not support region distribution."},
	{"ImageDistribute.RepeatedDistribution", "This image has been distributed to this region."},
	{"ImageDistribute.Undistributed", "The image has not been distributed to any region."},
	{"ImageRegion.NotConfigured", "The image does not have any region configuration."},
}

// gatewayErrors are the API gateway's own codes, with the status and wording
// the real gateway uses.
var gatewayErrors = map[string]struct {
	status  int
	message string
}{
	"Throttling":                                 {400, "Request was denied due to request throttling."},
	"Throttling.User":                            {400, "Request was denied due to user flow control."},
	"Throttling.Api":                             {400, "Request was denied due to api flow control."},
	"ServiceUnavailable":                         {503, "The request has failed due to a temporary failure of the server."},
	"Forbidden.RAM":                              {403, "User not authorized to operate on the specified resource, or this API doesn't support RAM."},
	"SignatureDoesNotMatch":                      {400, "Specified signature is not matched with our calculation."},
	"SignatureNonceUsed":                         {400, "Specified signature nonce was used already."},
	"InvalidSecurityToken.Expired":               {400, "Specified SecurityToken is expired."},
	"InvalidSecurityToken.MismatchWithAccessKey": {400, "Specified SecurityToken mismatch with the AccessKey."},
	"InvalidAccessKeyId.NotFound":                {404, "Specified access key is not found."},
	"InvalidTimeStamp.Expired":                   {400, "Specified time stamp or date value is expired."},
	"InvalidTimeStamp.Format":                    {400, "Specified time stamp or date value is not well formatted."},
	"InvalidVersion":                             {400, "Specified parameter Version is not valid."},
	"InvalidApi.NotFound":                        {404, "Specified api is not found, please check your url and method."},
	"UnsupportedHTTPMethod":                      {400, "This http method is not supported."},
}

// SeedErrorCodes returns the 19 codes of the API page's error table, in
// table order.
func SeedErrorCodes() []string {
	codes := make([]string, len(seedErrors))
	for i, e := range seedErrors {
		codes[i] = e.code
	}
	return codes
}

// ErrorResponse returns the response the real service gives for code: the
// seed table's codes and the gateway's own (throttling, auth, 503, 403).
// Missing<Param> codes get the gateway's "is mandatory" wording, and any other
// code a 400 with a generic message.
func ErrorResponse(code string) Response {
	if e, ok := gatewayErrors[code]; ok {
		return Response{Status: e.status, Code: code, Message: e.message}
	}
	for _, e := range seedErrors {
		if e.code == code {
			return Response{Status: http.StatusBadRequest, Code: code, Message: e.message}
		}
	}
	msg := "The request failed with error " + code + "."
	if p, ok := strings.CutPrefix(code, "Missing"); ok && p != "" {
		msg = p + " is mandatory for this action."
	}
	return Response{Status: http.StatusBadRequest, Code: code, Message: msg}
}

// InternalServerError returns the gateway's HTTP 500 InternalError, as
// opposed to the API's own 400 InternalError that ErrorResponse gives.
func InternalServerError() Response {
	return Response{
		Status:  http.StatusInternalServerError,
		Code:    "InternalError",
		Message: "The request processing has failed due to some unknown error, exception or failure.",
	}
}

// isDefault reports whether r leaves the answer to the default behaviour.
func (r Response) isDefault() bool {
	return r.Code == "" && r.RawBody == "" && !r.Reset && !r.Empty && (r.Status == 0 || r.Status == http.StatusOK)
}

// answer turns a scripted (non-default) response into what is sent.
func (r Response) answer(requestID string) answer {
	if r.Reset {
		return answer{reset: true}
	}
	if r.Empty {
		return answer{status: cmp.Or(r.Status, http.StatusOK), code: r.Code}
	}
	if r.Code == "" && r.RawBody == "" {
		// A bare error status still needs a code the SDK can parse.
		r.Code = "InternalError"
		if r.Status == http.StatusServiceUnavailable {
			r.Code = "ServiceUnavailable"
		}
	}
	if r.Status == 0 {
		r.Status = http.StatusOK
		if r.Code != "" {
			r.Status = http.StatusBadRequest
		}
	}
	if r.RawBody != "" {
		return answer{status: r.Status, code: r.Code, body: []byte(r.RawBody)}
	}
	if r.Message == "" {
		r.Message = ErrorResponse(r.Code).Message
	}
	return errorAnswer(requestID, r)
}
