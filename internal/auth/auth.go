// Package auth checks the shared token an HTTP-trigger caller presents, a
// second lock behind the trigger's own signature or JWT authentication.
package auth

import (
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"strings"
)

// Header carries the token. It is not Authorization, which the trigger's
// signature or JWT authentication already occupies.
const Header = "X-Distributor-Token"

// ErrUnauthorized is returned for a missing or wrong token; it does not
// say which, so a caller learns nothing by probing.
var ErrUnauthorized = errors.New("auth: missing or invalid " + Header)

// Check accepts token when its SHA-256 equals digest. A nil digest means
// in-function tokens are off and the trigger's authentication alone guards
// the endpoint.
func Check(token string, digest []byte) error {
	if digest == nil {
		return nil
	}
	token = strings.TrimSpace(token)
	if token == "" {
		return ErrUnauthorized
	}
	// Comparing digests keeps the comparison constant-time whatever the
	// token's length.
	sum := sha256.Sum256([]byte(token))
	if subtle.ConstantTimeCompare(sum[:], digest) != 1 {
		return ErrUnauthorized
	}
	return nil
}
