// Package appstream calls the appstream-center 2021-09-01 API through the
// legacy alibaba-cloud-sdk-go CommonRequest, and owns the only mapping from
// its error codes to what the caller should do about them.
package appstream

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/aliyun/alibaba-cloud-sdk-go/sdk"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/auth/credentials"
	"github.com/aliyun/alibaba-cloud-sdk-go/sdk/requests"

	"github.com/image-distributor/image-distributor/internal/config"
)

// The API this package speaks.
const (
	Product          = "appstream-center"
	Version          = "2021-09-01"
	ActionDistribute = "StartTaskForDistributeImage"
)

// Actions are the RAM actions the client calls; the deploy files' policy
// must grant exactly these.
func Actions() []string {
	return []string{"appstreaming:" + ActionDistribute, "appstreaming:" + ActionList}
}

// maxCallTimeout bounds one attempt so a stalled connection leaves time
// for a retry within a long invocation.
const maxCallTimeout = 10 * time.Second

// signingRegion only fills the RegionId parameter the SDK always adds. The
// control plane is central, so the value does not route the call.
const signingRegion = "cn-shanghai"

// Client calls the API. It is safe for concurrent use: the SDK's own client
// is not, so one is made per call, sharing this transport's connections.
type Client struct {
	endpoint  config.Endpoint
	transport http.RoundTripper
}

// New returns a client for endpoint.
func New(endpoint config.Endpoint) *Client {
	t := &http.Transport{
		DialContext:         (&net.Dialer{Timeout: 3 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		TLSHandshakeTimeout: 5 * time.Second,
		MaxIdleConnsPerHost: 16,
		IdleConnTimeout:     90 * time.Second,
		ForceAttemptHTTP2:   true,
	}
	// Wrapped so the SDK treats it as an opaque RoundTripper and leaves its
	// settings alone: it rewrites an *http.Transport on every call, which
	// races when calls run concurrently.
	return &Client{endpoint: endpoint, transport: roundTripper{t}}
}

type roundTripper struct{ rt http.RoundTripper }

func (r roundTripper) RoundTrip(req *http.Request) (*http.Response, error) {
	return r.rt.RoundTrip(req)
}

// call sends one signed RPC request and returns the body and request ID
// of a successful answer; any other answer is an *Error. The SDK takes no
// context, so the context's deadline becomes the request timeout.
func (c *Client) call(ctx context.Context, creds config.Credentials, action string, params map[string]string) (body []byte, requestID string, err error) {
	timeout := maxCallTimeout
	if d, ok := ctx.Deadline(); ok {
		timeout = min(timeout, time.Until(d))
	}
	if err := ctx.Err(); err != nil || timeout <= 0 {
		return nil, "", &Error{Code: CodeDeadline, Message: "no time left in the invocation for another call", Class: Retryable}
	}
	if creds.Empty() {
		return nil, "", &Error{Code: CodeNoCredentials, Message: "no credentials: the invocation context and the environment carry none", Class: Permanent}
	}
	var got reply
	cfg := sdk.NewConfig()
	cfg.Transport = recorder{rt: c.transport, got: &got}
	client, err := sdk.NewClientWithOptions(signingRegion, cfg, provider(creds))
	if err != nil {
		return nil, "", &Error{Code: CodeClient, Message: "cannot build the SDK client", Class: Permanent}
	}
	req := requests.NewCommonRequest()
	req.Method = requests.POST
	req.Scheme = c.endpoint.Scheme
	req.Domain = c.endpoint.Host
	req.Product, req.Version, req.ApiName = Product, Version, action
	for k, v := range params {
		req.FormParams[k] = v
	}
	// The SDK applies a connect timeout only to an *http.Transport of its
	// own; ours is the dialer's, set in New.
	req.SetReadTimeout(timeout)

	err = process(client, req, creds)
	if got.status != 0 {
		// Answered: whatever the SDK made of it, the answer decides.
		requestID, err := got.check(creds)
		if err != nil {
			return nil, requestID, err
		}
		return got.body, requestID, nil
	}
	if err == nil {
		return nil, "", &Error{Code: CodeMalformed, Message: "the SDK reported success without an answer", Class: Retryable}
	}
	var ae *Error
	if errors.As(err, &ae) {
		return nil, "", ae
	}
	return nil, "", fromSDK(err, creds)
}

// process runs the SDK call. The recorder keeps the SDK's error parser
// away from bodies it panics on; recovering here is the last line of
// defence, so a bad answer never takes the invocation down with it.
func process(client *sdk.Client, req *requests.CommonRequest, creds config.Credentials) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = &Error{Code: CodeMalformed, Message: "the SDK could not read the response: " + redact(fmt.Sprint(r), creds), Class: Retryable}
		}
	}()
	_, err = client.ProcessCommonRequest(req)
	return err
}

func provider(c config.Credentials) auth.Credential {
	if c.SecurityToken == "" {
		return credentials.NewStaticAKCredentialsProvider(c.AccessKeyID, c.AccessKeySecret.Reveal())
	}
	return credentials.NewStaticSTSCredentialsProvider(c.AccessKeyID, c.AccessKeySecret.Reveal(), c.SecurityToken.Reveal())
}
