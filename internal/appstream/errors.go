package appstream

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// Class says what a caller should do about a failed call.
type Class int

// The classes, decided once here and nowhere else.
const (
	// Permanent failures repeat whatever is retried: report them once.
	Permanent Class = iota
	// Retryable failures are transient: back off and try again.
	Retryable
	// Deferred failures mean the image is not ready yet: retrying within
	// seconds is pointless, a later delivery or the timer will succeed.
	Deferred
	// AlreadyDone means the copy exists or is under way: a success.
	AlreadyDone
)

func (c Class) String() string {
	return [...]string{"permanent", "retryable", "deferred", "already-done"}[c]
}

// Error is a failed call. Message never holds request URLs or headers:
// the SDK's own error strings carry the signature and the STS token.
type Error struct {
	Code       string
	Message    string
	RequestID  string
	HTTPStatus int
	Class      Class
}

func (e *Error) Error() string {
	s := "appstream-center: " + e.Code
	if e.HTTPStatus != 0 {
		s += fmt.Sprintf(" (HTTP %d)", e.HTTPStatus)
	}
	if e.Message != "" {
		s += ": " + e.Message
	}
	return s
}

// Codes this package reports for failures that have no API code.
const (
	CodeDeadline      = "DeadlineExceeded"
	CodeTimeout       = "Timeout"
	CodeNetwork       = "NetworkError"
	CodeMalformed     = "MalformedResponse"
	CodeNoCredentials = "NoCredentials"
	CodeClient        = "ClientError"
)

// classes maps every code of the StartTaskForDistributeImage error table,
// and the gateway's own, to a class. Codes not listed fall to Classify's
// defaults: throttling, HTTP 429 and 5xx (as a status or a numeric code)
// are retryable, anything else permanent, so an unknown code is reported
// rather than retried into a storm.
var classes = map[string]Class{
	"ImageDistribute.RepeatedDistribution": AlreadyDone,

	// Transient on the service side; InternalError comes back as HTTP 400.
	"InternalError":                   Retryable,
	"CreateDesktopImageRecord.Failed": Retryable,
	"ServiceUnavailable":              Retryable,
	"SignatureNonceUsed":              Retryable, // a retry signs with a fresh nonce
	CodeDeadline:                      Retryable,
	CodeTimeout:                       Retryable,
	CodeNetwork:                       Retryable,
	CodeMalformed:                     Retryable,

	// The image is still being built; it will be distributable later.
	"ImageCreateByInstance.TaskExist": Deferred,
	"ImageRegion.NotConfigured":       Deferred,
	// The parent image's copy to the region may still be running.
	"ParentImageRegionDistribute.NotExist": Deferred,
	// FC hands each invocation fresh credentials, but a retry within this
	// one signs with the same expired token: only a redelivery can succeed.
	"InvalidSecurityToken.Expired": Deferred,

	// The image, the request or the account is wrong: retrying repeats it.
	"Instance.NotFound":                               Permanent,
	"DesktopInstance.NotFound":                        Permanent,
	"Instance.ImageUnsupported":                       Permanent,
	"Instance.PhysicalNodeNotExist":                   Permanent,
	"ExceedBuilderQuota":                              Permanent,
	"InvalidBaseImage.NotConfigured":                  Permanent,
	"Image.NotExist":                                  Permanent,
	"ImageRegionDistribute.NotAllow":                  Permanent,
	"ImageUpdateFailed.NotAllow":                      Permanent,
	"ImageUpdateSharedImageFailed.NotAllow":           Permanent,
	"ImageDistribute.TargetDistributeRegionListEmpty": Permanent,
	"ImageDistribute.ImageNotSupport":                 Permanent,
	"ImageDistribute.Undistributed":                   Permanent,
	"SignatureDoesNotMatch":                           Permanent,
	"IncompleteSignature":                             Permanent,
	"InvalidAccessKeyId.NotFound":                     Permanent,
	"InvalidAccessKeyId.Inactive":                     Permanent,
	"InvalidSecurityToken.MismatchWithAccessKey":      Permanent,
	"InvalidSecurityToken.Malformed":                  Permanent,
	"InvalidTimeStamp.Expired":                        Permanent,
	"InvalidTimeStamp.Format":                         Permanent,
	"Forbidden.RAM":                                   Permanent,
	"NoPermission":                                    Permanent,
	"InvalidApi.NotFound":                             Permanent,
	"InvalidVersion":                                  Permanent,
	"InvalidProtocol.NeedSsl":                         Permanent,
	CodeNoCredentials:                                 Permanent,
	CodeClient:                                        Permanent,
}

// Classify maps an API error code and HTTP status to a class. An empty
// code (an answer without one) is classified by its status alone.
func Classify(code string, status int) Class {
	// 429 is throttling whatever the body says, even an HTML page.
	if status == http.StatusTooManyRequests {
		return Retryable
	}
	if c, ok := classes[code]; ok {
		return c
	}
	if strings.HasPrefix(code, "Throttling") || status >= 500 {
		return Retryable
	}
	// A numeric code is an HTTP status in the body, as in the API's own
	// envelope ("Code": 200 on success).
	if n, err := strconv.Atoi(code); err == nil && (n/100 == 5 || n == http.StatusTooManyRequests) {
		return Retryable
	}
	return Permanent
}

// perRegion holds the codes that are about one destination region rather
// than the image or the call (seed error table): a call naming several
// regions may be refused whole for one of them, so the caller asks each
// region on its own to learn which (docs/reliability.md, issue 17).
var perRegion = map[string]bool{
	// "This image has been distributed to this region."
	"ImageDistribute.RepeatedDistribution": true,
	// "The target distribution region of the parent image does not exist."
	"ParentImageRegionDistribute.NotExist": true,
}

// PerRegion reports whether code is about one destination region, so that
// a call naming several regions must be split to learn which one.
func PerRegion(code string) bool { return perRegion[code] }

// AboutTheCaller reports whether code refuses the caller rather than
// anything about the image or a region: its identity, signature, clock,
// permissions or the endpoint it called. Asking region by region would
// only repeat it once per region.
func AboutTheCaller(code string) bool {
	for _, p := range callerPrefixes {
		if strings.HasPrefix(code, p) {
			return true
		}
	}
	return code == CodeNoCredentials
}

// callerPrefixes are the gateway's codes about the caller (API-NOTES §5).
var callerPrefixes = []string{"Forbidden", "NoPermission", "InvalidAccessKeyId", "InvalidSecurityToken",
	"SignatureDoesNotMatch", "IncompleteSignature", "InvalidTimeStamp", "InvalidApi", "InvalidProduct",
	"InvalidVersion", "InvalidProtocol", "SDK."}

// notYet holds the codes that, for an image created moments ago or still
// being built, mean "not yet" rather than "never" (API-NOTES §5:
// defer→perm, and Image.NotExist "defer if event < few min old"). The
// table above gives each its class for an image not known to be young.
var notYet = map[string]bool{
	"Image.NotExist":                 true,
	"ImageRegionDistribute.NotAllow": true,
	"ImageRegion.NotConfigured":      true,
}

// NotYet reports whether code means "not yet" for an image that is still
// young; the caller, which knows the image's age, decides whether it is.
func NotYet(code string) bool { return notYet[code] }
