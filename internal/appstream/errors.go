package appstream

import (
	"fmt"
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
// and the gateway's own, to a class. Codes not listed fall to classify's
// defaults: 5xx is retryable, anything else permanent, so an unknown code
// is reported rather than retried into a storm.
var classes = map[string]Class{
	"ImageDistribute.RepeatedDistribution": AlreadyDone,

	// Transient on the service side; InternalError comes back as HTTP 400.
	"InternalError":                   Retryable,
	"CreateDesktopImageRecord.Failed": Retryable,
	"ServiceUnavailable":              Retryable,
	"SignatureNonceUsed":              Retryable, // a retry signs with a fresh nonce
	// FC hands each invocation fresh credentials; a redelivery will carry them.
	"InvalidSecurityToken.Expired": Retryable,
	CodeDeadline:                   Retryable,
	CodeTimeout:                    Retryable,
	CodeNetwork:                    Retryable,
	CodeMalformed:                  Retryable,

	// The image is still being built; it will be distributable later.
	"ImageCreateByInstance.TaskExist": Deferred,
	"ImageRegion.NotConfigured":       Deferred,

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
	"ParentImageRegionDistribute.NotExist":            Permanent,
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

// Classify maps an API error code and HTTP status to a class.
func Classify(code string, status int) Class {
	if c, ok := classes[code]; ok {
		return c
	}
	if strings.HasPrefix(code, "Throttling") {
		return Retryable
	}
	if status >= 500 {
		return Retryable
	}
	return Permanent
}
