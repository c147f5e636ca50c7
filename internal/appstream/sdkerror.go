package appstream

import (
	"errors"
	"io"
	"net"
	"net/url"
	"regexp"
	"strings"
	"syscall"

	sdkerrors "github.com/aliyun/alibaba-cloud-sdk-go/sdk/errors"

	"github.com/image-distributor/image-distributor/internal/config"
	"github.com/image-distributor/image-distributor/internal/ids"
)

// maxMessage bounds what an error keeps of a response body; a gateway's
// HTML error page is not worth a log line of its own.
const maxMessage = 256

// fromSDK turns an SDK error into an *Error whose text is safe to log. Only
// the parsed code, message and request ID of a server error are kept; a
// transport error is described in words of our own, since its text holds
// the request URL with the signature and STS token.
func fromSDK(err error, creds config.Credentials) *Error {
	var se *sdkerrors.ServerError
	if errors.As(err, &se) {
		e := &Error{Code: se.ErrorCode(), RequestID: se.RequestId(), HTTPStatus: se.HttpStatus(),
			Message: redact(se.Message(), creds)}
		if e.Code == "" {
			e.Code = CodeMalformed
			e.Message = "HTTP error without an API error code: " + e.Message
		}
		e.Class = Classify(e.Code, e.HTTPStatus)
		if e.Code == CodeMalformed && e.HTTPStatus < 500 {
			e.Class = Permanent
		}
		return e
	}
	var ce *sdkerrors.ClientError
	if errors.As(err, &ce) && ce.OriginError() == nil {
		return &Error{Code: CodeClient, Message: ce.ErrorCode() + ": " + redact(ce.Message(), creds), Class: Permanent}
	}
	code, msg := transport(err)
	return &Error{Code: code, Message: msg, Class: Classify(code, 0)}
}

// transport names a network failure without quoting the SDK's error text.
func transport(err error) (code, msg string) {
	var ne net.Error
	switch {
	case errors.As(err, &ne) && ne.Timeout():
		return CodeTimeout, "the API did not answer within the time left in the invocation"
	case errors.Is(err, syscall.ECONNREFUSED):
		return CodeNetwork, "connection refused"
	case errors.Is(err, syscall.ECONNRESET), errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return CodeNetwork, "connection reset before a response arrived"
	}
	var dns *net.DNSError
	if errors.As(err, &dns) {
		return CodeNetwork, "cannot resolve the API endpoint " + dns.Name
	}
	return CodeNetwork, "request failed: " + redact(err.Error(), config.Credentials{})
}

var (
	urlQuery = regexp.MustCompile(`\?[^\s"']*`)
	// The gateway quotes its string to sign, which holds every signed
	// parameter, the STS token among them, percent-encoded once or twice.
	stringToSign = regexp.MustCompile(`(?is)string ?to ?sign.*$`)
	secretKeys   = regexp.MustCompile(`(?i)(SecurityToken|Signature|AccessKeyId|AccessKeySecret|Authorization)(=|%3D|%253D|[:"\s]+)[^&\s"',%]+`)
)

// redact strips anything that could carry a credential: URL query
// strings, quoted strings to sign, key=value pairs for credential names and
// the credential values themselves, plain or percent-encoded. It is
// applied to every message that reaches an Error.
func redact(s string, creds config.Credentials) string {
	s = urlQuery.ReplaceAllString(s, "?[redacted]")
	s = stringToSign.ReplaceAllString(s, "string to sign [redacted]")
	s = secretKeys.ReplaceAllString(s, "$1$2[redacted]")
	for _, v := range []string{creds.AccessKeyID, creds.AccessKeySecret.Reveal(), creds.SecurityToken.Reveal()} {
		if len(v) < 4 {
			continue
		}
		once := url.QueryEscape(v)
		for _, form := range []string{v, once, url.QueryEscape(once)} {
			s = strings.ReplaceAll(s, form, "[redacted]")
		}
	}
	return ids.Clip(s, maxMessage)
}
