package appstream

import (
	"errors"
	"io"
	"net"
	"syscall"

	sdkerrors "github.com/aliyun/alibaba-cloud-sdk-go/sdk/errors"

	"github.com/image-distributor/image-distributor/internal/config"
)

// fromSDK turns an SDK error for a call that got no answer into an *Error
// whose text is safe to log. Answers never reach here: recorder keeps them
// for reply.check. A transport error is described in words of our own,
// since its text holds the request URL with the signature and STS token.
func fromSDK(err error, creds config.Credentials) *Error {
	var ce *sdkerrors.ClientError
	if errors.As(err, &ce) && ce.OriginError() == nil {
		return &Error{Code: CodeClient, Message: ce.ErrorCode() + ": " + redact(ce.Message(), creds), Class: Permanent}
	}
	code, msg := transport(err, creds)
	return &Error{Code: code, Message: msg, Class: Classify(code, 0)}
}

// transport names a network failure without quoting the SDK's error text.
func transport(err error, creds config.Credentials) (code, msg string) {
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
	return CodeNetwork, "request failed: " + redact(err.Error(), creds)
}
