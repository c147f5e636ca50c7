package handler

import (
	"context"

	"github.com/aliyun/fc-runtime-go-sdk/fccontext"

	"github.com/image-distributor/image-distributor/internal/config"
)

// invocation is what FC tells us about the call we are serving.
type invocation struct {
	RequestID   string
	Credentials config.Credentials
}

// invocationFrom reads the FC context. FC hands every invocation fresh STS
// credentials for the function's role; the environment's are a fallback
// for running outside FC.
func invocationFrom(ctx context.Context, fallback config.Credentials) invocation {
	inv := invocation{Credentials: fallback}
	fc, ok := fccontext.FromContext(ctx)
	if !ok {
		return inv
	}
	inv.RequestID = fc.RequestID
	if c := fc.Credentials; c.AccessKeyId != "" && c.AccessKeySecret != "" {
		inv.Credentials = config.Credentials{
			AccessKeyID:     c.AccessKeyId,
			AccessKeySecret: config.Secret(c.AccessKeySecret),
			SecurityToken:   config.Secret(c.SecurityToken),
		}
	}
	return inv
}
