// Package auth checks the bearer token an HTTP-trigger caller presents,
// a second lock behind the trigger's own signature or JWT authentication.
package auth

import (
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"strings"
)

// ErrUnauthorized is returned for a missing or wrong token; it does not
// say which, so a caller learns nothing by probing.
var ErrUnauthorized = errors.New("auth: missing or invalid bearer token")

// Check accepts "Bearer <token>" when the token's SHA-256 equals digest. A
// nil digest means in-function tokens are off and the trigger's
// authentication alone guards the endpoint.
func Check(authorization string, digest []byte) error {
	if digest == nil {
		return nil
	}
	scheme, token, ok := strings.Cut(strings.TrimSpace(authorization), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || token == "" {
		return ErrUnauthorized
	}
	// Comparing digests keeps the comparison constant-time whatever the
	// token's length.
	sum := sha256.Sum256([]byte(strings.TrimSpace(token)))
	if subtle.ConstantTimeCompare(sum[:], digest) != 1 {
		return ErrUnauthorized
	}
	return nil
}
